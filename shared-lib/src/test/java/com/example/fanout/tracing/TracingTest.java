package com.example.fanout.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.example.fanout.testing.RecordingXRay;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

class TracingTest {
  private static final String PRODUCER = "Root=1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d;Parent=53995c3f42cd8ad8;Sampled=1";

  @Test
  void parse_shouldReadRootParentAndSampled_whenHeaderIsComplete() {
    TraceHeader header = TraceHeader.parse(PRODUCER).orElseThrow();

    assertThat(header.root()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(header.parent()).isEqualTo("53995c3f42cd8ad8");
    assertThat(header.sampled()).isTrue();
    assertThat(header.toString()).isEqualTo(PRODUCER);
    assertThat(TraceHeader.parse("Sampled=1")).isEmpty();
  }

  @Test
  void xrayTracer_shouldSubsegmentTheInvocationAndKeepTheProducerRoot_whenInLambda() {
    RecordingXRay lambda = RecordingXRay.inLambdaContext();
    XRayTracer tracer = new XRayTracer(lambda.recorder(), true);
    // Lambda continued the message's trace: the invocation's parent is the function segment it recorded.
    String invocation = "Root=1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d;Parent=aaaaaaaaaaaaaaaa;Sampled=1";

    String downstream;
    SdkInternalThreadLocal.put("AWS_LAMBDA_X_TRACE_ID", invocation);
    try (Span span = tracer.startSegment("inventory.reserve-stock OrderPlaced", PRODUCER)) {
      span.annotate(Span.CORRELATION_ID, "ord_7Hq2mX9pLk").outcome("ok");
      downstream = tracer.currentTraceHeader().orElseThrow();
      assertThat(TraceHeader.parse(downstream).orElseThrow().parent()).isEqualTo(span.spanId());
    } finally {
      SdkInternalThreadLocal.remove("AWS_LAMBDA_X_TRACE_ID");
    }

    assertThat(TraceHeader.parse(downstream).orElseThrow().root()).as("follow-ups continue the producer's trace")
        .isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(lambda.streamed()).singleElement().satisfies(subsegment -> {
      assertThat(subsegment.getParentSegment().getTraceId().toString()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
      assertThat(subsegment.getParentSegment().getId()).as("the function segment Lambda named").isEqualTo("aaaaaaaaaaaaaaaa");
      assertThat(subsegment.getAnnotations()).containsEntry(Span.CORRELATION_ID, "ord_7Hq2mX9pLk")
          .containsEntry(XRayTracer.PRODUCER_TRACE, "1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    });
  }

  @Test
  void xrayTracer_shouldRecordARecordInItsProducersTrace_whenTheBatchTraceIsAnotherOrders() {
    RecordingXRay lambda = RecordingXRay.inLambdaContext();
    XRayTracer tracer = new XRayTracer(lambda.recorder(), true);
    String invocation = "Root=1-6745a0c0-000000000000000000000001;Parent=aaaaaaaaaaaaaaaa;Sampled=1";
    String firstRecord = "Root=1-6745a0c0-000000000000000000000001;Parent=bbbbbbbbbbbbbbbb;Sampled=1";

    SdkInternalThreadLocal.put("AWS_LAMBDA_X_TRACE_ID", invocation);
    try {
      try (Span first = tracer.startSegment("billing.audit PaymentTaken", firstRecord)) {
        first.outcome("ok");
      }
      try (Span second = tracer.startSegment("billing.audit PaymentTaken", PRODUCER)) {
        second.outcome("ok");
      }
      try (Span third = tracer.startSegment("billing.audit PaymentTaken", firstRecord)) {
        third.outcome("ok");
      }
      assertThat(SdkInternalThreadLocal.get("AWS_LAMBDA_X_TRACE_ID")).as("the invocation's header is back").isEqualTo(invocation);
    } finally {
      SdkInternalThreadLocal.remove("AWS_LAMBDA_X_TRACE_ID");
    }

    assertThat(lambda.streamed()).extracting(s -> s.getParentSegment().getTraceId().toString() + " " + s.getParentSegment().getId())
        .containsExactly("1-6745a0c0-000000000000000000000001 aaaaaaaaaaaaaaaa",
            "1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d 53995c3f42cd8ad8",
            "1-6745a0c0-000000000000000000000001 aaaaaaaaaaaaaaaa");
  }

  @Test
  void xrayTracer_shouldStartSegmentInProducerTrace_whenOutsideLambda() {
    RecordingXRay xray = new RecordingXRay();
    XRayTracer tracer = xray.tracer();

    String downstream;
    String segmentId;
    try (Span span = tracer.startSegment("inventory.reserve-stock OrderPlaced", PRODUCER)) {
      span.annotate(Span.CORRELATION_ID, "ord_7Hq2mX9pLk").outcome("ok");
      segmentId = span.spanId();
      try (Span child = tracer.subsegment("publish")) {
        downstream = tracer.currentTraceHeader().orElseThrow();
        assertThat(TraceHeader.parse(downstream).orElseThrow().parent()).isEqualTo(child.spanId());
      }
    }

    assertThat(TraceHeader.parse(downstream).orElseThrow().root()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(xray.sent()).as("one segment, then its one subsegment").satisfiesExactly(
        segment -> {
          assertThat(segment.traceId()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
          assertThat(segment.parentId()).isEqualTo("53995c3f42cd8ad8");
          assertThat(segment.id()).isEqualTo(segmentId);
          assertThat(segment.annotation(Span.CORRELATION_ID)).isEqualTo("ord_7Hq2mX9pLk");
        },
        subsegment -> assertThat(subsegment.parentId()).isEqualTo(segmentId));
  }

  @Test
  void xrayTracer_shouldRecordOnXRaysGlobalRecorder_whenBuiltWithoutOne() {
    XRayTracer tracer = new XRayTracer();

    try (Span span = tracer.startSegment("orders.api GET /orders/{id}", PRODUCER)) {
      Entity current = AWSXRay.getGlobalRecorder().getTraceEntity();
      assertThat(current).as("the global recorder's current entity").isNotNull();
      assertThat(current.getId()).isEqualTo(span.spanId());
      assertThat(current.getParentSegment().getTraceId().toString()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    }
    assertThat(AWSXRay.getGlobalRecorder().getTraceEntity()).as("the segment ended").isNull();
  }

  @Test
  void xrayTracer_shouldShareOneInterceptorAcrossClients_butNotWithAPrimingRecorder() {
    List<ExecutionInterceptor> function = List.of(
        interceptorOf(new XRayTracer(AWSXRayRecorderBuilder.standard().build(), true)),
        interceptorOf(new XRayTracer(AWSXRayRecorderBuilder.standard().build(), false)));
    ExecutionInterceptor priming = interceptorOf(new XRayTracer(AWSXRayRecorderBuilder.standard().build(), true)
        .forPriming(document -> { }));

    assertThat(function.get(0)).as("every client on the global recorder").isSameAs(function.get(1));
    assertThat(priming).as("priming records on a recorder of its own").isInstanceOf(TracingInterceptor.class)
        .isNotSameAs(function.get(0));
  }

  private static ExecutionInterceptor interceptorOf(XRayTracer tracer) {
    List<ExecutionInterceptor> added = tracer.instrument(ClientOverrideConfiguration.builder()).build().executionInterceptors();
    assertThat(added).hasSize(1);
    return added.get(0);
  }
}
