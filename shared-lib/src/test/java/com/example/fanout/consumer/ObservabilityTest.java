package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.metrics.ConsumerMetrics;
import com.example.fanout.testing.ConsumerAws;
import com.example.fanout.testing.FakeEventBridge;
import com.example.fanout.testing.InMemoryPersistenceStore;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.StdoutCapture;
import com.example.fanout.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What on-call sees: JSON log lines through Powertools logging and EMF documents through Powertools metrics. */
class ObservabilityTest {
  private static final Logger LOG = LoggerFactory.getLogger(ObservabilityTest.class);

  @RegisterExtension
  static final ConsumerAws aws = ConsumerAws.sqsOnly("observability-dlq");

  private OrderPlacedConsumer consumer(FakeEventBridge eventBridge) {
    return consumer(eventBridge, 0.0);
  }

  private OrderPlacedConsumer consumer(FakeEventBridge eventBridge, double sampleRate) {
    ConsumerRuntime runtime = ConsumerRuntime.builder()
        .logSampleRate(sampleRate)
        .service("inventory").consumer("reserve-stock")
        .sqs(aws.sqs()).deadLetterQueueUrl(LocalAws.newQueue(aws.sqs(), "observability-dlq"))
        .eventBridge(eventBridge.client(), "dev-fanout")
        .idempotency(new InMemoryPersistenceStore())
        .metrics(new ConsumerMetrics("fanout-test", "inventory.reserve-stock"))
        .build();
    return new OrderPlacedConsumer(runtime, (event, order, ctx) -> {
      LOG.info("reserving stock for {} item(s)", order.items().size());
      LOG.debug("stock levels checked");
      if (order.orderId().contains("Transient")) {
        throw new IllegalStateException("stock table throttled");
      }
      OrderPlacedConsumer.reserve(order, ctx);
    });
  }

  @Test
  void handleRequest_shouldWriteJsonLogLineWithCorrelationId_whenHandlerLogs() {
    Envelope event = Messages.orderPlaced("ord_LogLine00001", d -> { });
    List<JsonNode> lines;
    try (FakeEventBridge eventBridge = new FakeEventBridge(); StdoutCapture stdout = new StdoutCapture()) {
      consumer(eventBridge).handleRequest(Messages.batch(Messages.record(Messages.eventBridgeEvent(event))),
          new TestLambdaContext("dev-inventory-reserve-stock"));
      lines = stdout.jsonLines();
    }

    JsonNode line = lines.stream().filter(l -> l.path("message").asText().startsWith("reserving stock")).findFirst().orElseThrow();
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("correlation_id").asText()).isEqualTo("ord_LogLine00001");
    assertThat(line.path("event_id").asText()).isEqualTo(event.id());
    assertThat(line.path("event_type").asText()).isEqualTo("OrderPlaced");
    assertThat(line.path("consumer").asText()).isEqualTo("inventory.reserve-stock");
    assertThat(line.path("service").asText()).isEqualTo("inventory");
    assertThat(line.path("function_name").asText()).isEqualTo("dev-inventory-reserve-stock");
    assertThat(line.has("cold_start")).isTrue();
  }

  @Test
  void handleRequest_shouldLogDebugLines_onlyWhenInvocationIsSampled() {
    List<JsonNode> sampled;
    List<JsonNode> unsampled;
    try (FakeEventBridge eventBridge = new FakeEventBridge(); StdoutCapture stdout = new StdoutCapture()) {
      consumer(eventBridge, 1.0).handleRequest(Messages.batch(Messages.record(Messages.eventBridgeEvent(
          Messages.orderPlaced("ord_Sampled00001", d -> { })))), new TestLambdaContext("dev-inventory-reserve-stock"));
      sampled = stdout.jsonLines();
    }
    try (FakeEventBridge eventBridge = new FakeEventBridge(); StdoutCapture stdout = new StdoutCapture()) {
      consumer(eventBridge, 0.0).handleRequest(Messages.batch(Messages.record(Messages.eventBridgeEvent(
          Messages.orderPlaced("ord_Unsampled0001", d -> { })))), new TestLambdaContext("dev-inventory-reserve-stock"));
      unsampled = stdout.jsonLines();
    }

    assertThat(sampled).filteredOn(l -> l.path("message").asText().equals("stock levels checked"))
        .singleElement().satisfies(l -> {
          assertThat(l.path("level").asText()).isEqualTo("DEBUG");
          assertThat(l.path("correlation_id").asText()).isEqualTo("ord_Sampled00001");
        });
    assertThat(unsampled).noneMatch(l -> l.path("message").asText().equals("stock levels checked"));
  }

  @Test
  void handleRequest_shouldWriteEmfDocumentWithConsumerMetrics_whenBatchIsProcessed() {
    Envelope good = Messages.orderPlaced("ord_Metrics00001", d -> { });
    Envelope failing = Messages.orderPlaced("ord_Transient0009", d -> { });
    List<JsonNode> lines;
    try (FakeEventBridge eventBridge = new FakeEventBridge(); StdoutCapture stdout = new StdoutCapture()) {
      OrderPlacedConsumer consumer = consumer(eventBridge);
      String body = Messages.eventBridgeEvent(good);
      consumer.handleRequest(Messages.batch(Messages.record(body), Messages.record(body), Messages.record("{}"),
          Messages.record(Messages.eventBridgeEvent(failing))), new TestLambdaContext("dev-inventory-reserve-stock"));
      lines = stdout.jsonLines();
    }

    JsonNode emf = lines.stream().filter(l -> l.has("_aws")).reduce((a, b) -> b).orElseThrow();
    JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(directive.path("Namespace").asText()).isEqualTo("fanout-test");
    assertThat(directive.path("Dimensions").toString()).contains("consumer");
    List<String> names = new ArrayList<>();
    directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    assertThat(names).contains(ConsumerMetrics.PROCESSED, ConsumerMetrics.DUPLICATE, ConsumerMetrics.POISON,
        ConsumerMetrics.FAILED, ConsumerMetrics.EVENT_AGE, ConsumerMetrics.HANDLER_LATENCY);
    assertThat(emf.path("consumer").asText()).isEqualTo("inventory.reserve-stock");
    assertThat(emf.path(ConsumerMetrics.PROCESSED).asDouble()).isEqualTo(1.0);
    assertThat(emf.path(ConsumerMetrics.DUPLICATE).asDouble()).isEqualTo(1.0);
  }
}
