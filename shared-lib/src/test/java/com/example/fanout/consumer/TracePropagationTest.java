package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.local.servers.ElasticMq;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.testing.FakeEventBridge;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.RecordingXRay;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.TraceHeader;
import com.example.fanout.tracing.XRayTracer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class TracePropagationTest {
  @Test
  void handleRequest_shouldKeepOneTraceId_whenEventTravelsFromProducerThroughConsumerToFollowUp() {
    RecordingXRay xray = new RecordingXRay();
    XRayTracer tracer = xray.tracer();
    try (ElasticMq sqsServer = ElasticMq.start(0);
         SqsClient sqs = LocalAws.sqs(sqsServer.endpoint());
         FakeEventBridge eventBridge = new FakeEventBridge()) {
      EventPublisher producer = EventPublisher.builder()
          .client(eventBridge.client()).eventBusName("dev-fanout")
          .schemas(new EventSchemas(Catalog.fromClasspath()))
          .traceHeaders(tracer::currentTraceHeader)
          .build();
      Envelope placed = Messages.orderPlaced();
      String producerTrace;
      try (Span request = tracer.startSegment("orders.api POST /orders", null)) {
        request.annotate(Span.CORRELATION_ID, placed.correlationId());
        producerTrace = request.traceId();
        producer.publish(placed).orThrow();
      }
      String deliveredHeader = eventBridge.entries().get(0).traceHeader();
      OrderPlacedConsumer consumer = new OrderPlacedConsumer(ConsumerRuntime.builder()
          .service("inventory").consumer("reserve-stock")
          .sqs(sqs).deadLetterQueueUrl(LocalAws.newQueue(sqs, "trace-dlq"))
          .eventBridge(eventBridge.client(), "dev-fanout")
          .tracer(tracer)
          .build(), (event, order, ctx) -> OrderPlacedConsumer.reserve(order, ctx));

      // SQS hands the header EventBridge and SNS carried to the function as the AWSTraceHeader attribute.
      consumer.handleRequest(Messages.batch(Messages.record(Messages.eventBridgeEvent(placed), Messages.QUEUE_ARN,
          Map.of("AWSTraceHeader", deliveredHeader))), new TestLambdaContext("dev-inventory-reserve-stock"));

      FakeEventBridge.Entry followUp = eventBridge.entries().get(1);
      assertThat(followUp.detailType()).isEqualTo("InventoryReserved");
      assertThat(TraceHeader.parse(deliveredHeader).orElseThrow().root()).isEqualTo(producerTrace);
      assertThat(TraceHeader.parse(followUp.traceHeader()).orElseThrow().root()).isEqualTo(producerTrace);
      List<RecordingXRay.Sent> timeline = xray.trace(producerTrace);
      assertThat(timeline).extracting(RecordingXRay.Sent::name)
          .containsExactly("orders.api POST /orders", "inventory.reserve-stock OrderPlaced");
      RecordingXRay.Sent consumed = timeline.get(1);
      assertThat(consumed.parentId()).isEqualTo(timeline.get(0).id());
      assertThat(consumed.annotation(Span.CORRELATION_ID)).isEqualTo(placed.correlationId());
      assertThat(consumed.annotation(Span.EVENT_ID)).isEqualTo(placed.id());
      assertThat(consumed.annotation("outcome")).isEqualTo("ok");
      assertThat(TraceHeader.parse(followUp.traceHeader()).orElseThrow().parent()).isEqualTo(consumed.id());
    }
  }
}
