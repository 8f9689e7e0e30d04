package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.event.Envelope;
import com.example.fanout.testing.ConsumerAws;
import com.example.fanout.testing.FakeEventBridge;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Powertools' log buffer at INFO: the DEBUG lines of a record appear only when that record fails
 * or is dead-lettered, read back from the JSON log lines (batch of 10, record 4 misbehaves).
 */
class BufferedDebugLogTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.inventory.handler.ReserveStockHandler");
  /** Where Lambda's java21 runtime puts the invocation's trace header. */
  private static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";

  @RegisterExtension
  static final ConsumerAws aws = ConsumerAws.sqsOnly("debug-dlq");

  private List<JsonNode> run(String record4) {
    List<SQSMessage> records = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      String orderId = i == 4 ? "ord_" + record4 + "0004" : "ord_Good00000" + i;
      records.add(Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced(orderId, d -> { }))));
    }
    SQSEvent batch = new SQSEvent();
    batch.setRecords(records);
    try (FakeEventBridge eventBridge = new FakeEventBridge(); StdoutCapture stdout = new StdoutCapture()) {
      ConsumerRuntime runtime = ConsumerRuntime.builder().service("inventory").consumer("reserve-stock")
          .sqs(aws.sqs()).deadLetterQueueUrl(LocalAws.newQueue(aws.sqs(), "debug-dlq"))
          .eventBridge(eventBridge.client(), "dev-fanout").logSampleRate(0.0).build();
      new OrderPlacedConsumer(runtime, (Envelope event, OrderPlacedConsumer.OrderPlaced order, HandlerContext ctx) -> {
        LOG.debug("stock checked for {}", order.orderId());
        switch (order.orderId()) {
          case "ord_Transient0004" -> throw new IllegalStateException("stock table throttled");
          case "ord_Poison0004" -> throw new PoisonMessageException("SKU never sold");
          default -> OrderPlacedConsumer.reserve(order, ctx);
        }
      }).handleRequest(batch, new TestLambdaContext("dev-inventory-reserve-stock"));
      return stdout.jsonLines();
    }
  }

  private static List<String> debugLines(List<JsonNode> lines) {
    return lines.stream().filter(l -> l.path("level").asText().equals("DEBUG"))
        .map(l -> l.path("message").asText() + " @" + l.path("correlation_id").asText()).toList();
  }

  @ParameterizedTest(name = "record 4 {0}")
  @ValueSource(strings = {"Transient", "Poison"})
  void handleRequest_shouldWriteOnlyTheFailedRecordsDebugLines_whenARecordFailsOrIsDeadLettered(String failure) {
    List<JsonNode> lines = run(failure);

    String orderId = "ord_" + failure + "0004";
    assertThat(debugLines(lines)).containsExactly("stock checked for " + orderId + " @" + orderId);
    int debug = indexOf(lines, "DEBUG");
    int failureLine = indexOf(lines, failure.equals("Poison") ? "ERROR" : "WARN");
    assertThat(debug).as("the debug trail comes before the failure line").isLessThan(failureLine);
  }

  /**
   * In Lambda the java21 runtime sets the invocation's trace header, by which Powertools keys the
   * buffer; a blank one is a key too, as Powertools reads it.
   */
  @ParameterizedTest(name = "header \"{0}\"")
  @ValueSource(strings = {"Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=0", ""})
  void handleRequest_shouldWriteOnlyTheFailedRecordsDebugLines_whenTheInvocationHasATraceHeader(String header) {
    System.setProperty(TRACE_HEADER_PROPERTY, header);
    try {
      assertThat(debugLines(run("Transient"))).containsExactly("stock checked for ord_Transient0004 @ord_Transient0004");
    } finally {
      System.clearProperty(TRACE_HEADER_PROPERTY);
    }
  }

  @Test
  void handleRequest_shouldWriteNoDebugLines_whenEveryRecordSucceeds() {
    assertThat(debugLines(run("Good"))).isEmpty();
  }

  private static int indexOf(List<JsonNode> lines, String level) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).path("level").asText().equals(level)) {
        return i;
      }
    }
    return -1;
  }
}
