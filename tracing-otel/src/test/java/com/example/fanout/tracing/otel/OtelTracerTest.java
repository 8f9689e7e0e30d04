package com.example.fanout.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.runtime.SdkPriming;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.TraceHeader;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OtelTracerTest {
  private static final String PRODUCER = "Root=1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d;Parent=53995c3f42cd8ad8;Sampled=1";

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .setIdGenerator(new XRayIdGenerator(Clock.systemUTC()))
      .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();

  @Test
  void startSegment_shouldContinueTheProducersTrace_andPassAnXRayHeaderDownstream_whenOutsideLambda() {
    OtelTracer tracer = new OtelTracer(provider, false, Optional::empty);

    String downstream;
    String childId;
    try (Span span = tracer.startSegment("inventory.reserve-stock OrderPlaced", PRODUCER)) {
      span.annotate(Span.CORRELATION_ID, "ord_7Hq2mX9pLk").outcome("ok");
      assertThat(span.traceId()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
      try (Span child = tracer.subsegment("publish")) {
        childId = child.spanId();
        downstream = tracer.currentTraceHeader().orElseThrow();
      }
    }

    assertThat(TraceHeader.parse(downstream).orElseThrow()).isEqualTo(new TraceHeader("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d", childId, true));
    List<SpanData> spans = exported.getFinishedSpanItems();
    SpanData record = spans.stream().filter(s -> s.getName().startsWith("inventory")).findFirst().orElseThrow();
    assertThat(record.getParentSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(record.getAttributes().asMap()).containsEntry(io.opentelemetry.api.common.AttributeKey.stringKey("correlation_id"), "ord_7Hq2mX9pLk")
        .containsEntry(io.opentelemetry.api.common.AttributeKey.stringKey("producer_trace_root"), "1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(spans).filteredOn(s -> s.getName().equals("publish")).singleElement()
        .satisfies(s -> assertThat(s.getParentSpanId()).isEqualTo(record.getSpanId()));
    assertThat(tracer.currentTraceHeader()).isEmpty();
  }

  @Test
  void startSegment_shouldHangUnderLambdasFunctionSegment_whenTheInvocationContinuesTheSameTrace() {
    String invocation = "Root=1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d;Parent=aaaaaaaaaaaaaaaa;Sampled=1";
    OtelTracer tracer = new OtelTracer(provider, true, () -> Optional.of(invocation));

    try (Span span = tracer.startSegment("billing.charge PaymentTaken", PRODUCER)) {
      span.outcome("failed");
    }
    try (Span other = tracer.startSegment("billing.charge PaymentTaken",
        "Root=1-6745a0c0-000000000000000000000002;Parent=bbbbbbbbbbbbbbbb;Sampled=1")) {
      other.outcome("ok");
    }

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans.get(0).getParentSpanId()).as("the function segment Lambda recorded").isEqualTo("aaaaaaaaaaaaaaaa");
    assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(1).getTraceId()).as("another order's record stays in its own trace").isEqualTo("6745a0c0000000000000000000000002");
    assertThat(spans.get(1).getParentSpanId()).isEqualTo("bbbbbbbbbbbbbbbb");
  }

  @Test
  void newTrace_shouldStartWithTheEpochSecond_asXRayRequires() {
    OtelTracer tracer = new OtelTracer(provider, false, Optional::empty);
    long before = System.currentTimeMillis() / 1000;

    try (Span span = tracer.startSegment("orders.api POST /orders", null)) {
      long epoch = Long.parseLong(span.traceId().substring(2, 10), 16);
      assertThat(epoch).isBetween(before, before + 5);
    }
  }

  @Test
  void primeWith_shouldExportEachRoundsSpansToALoopbackCollectorOfItsOwn_andNothingThroughTheFunctionsProvider() {
    OtelTracer tracer = new OtelTracer(provider, true, Optional::empty);
    List<String> exports = new CopyOnWriteArrayList<>();

    int answered = tracer.primeWith(priming -> SdkPriming.run(2, priming, java.util.Set.of("events:PutEvents")), exports::add);

    assertThat(answered).as("dry AWS calls answered").isEqualTo(8);
    assertThat(exports).as("OTLP export requests, all sent before primeWith returned").isNotEmpty();
    // OTLP protobuf carries names and attribute values as UTF-8 strings.
    assertThat(String.join("", exports)).contains("prime.prime Primed", "DynamoDb", "PutItem", "EventBridge", "PutEvents");
    assertThat(exported.getFinishedSpanItems()).as("spans of the function's own provider").isEmpty();
    assertThat(tracer.currentTraceHeader()).isEmpty();
  }
}
