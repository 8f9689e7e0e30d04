package com.example.fanout.local.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.Eventually;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.TraceEntity;
import com.example.fanout.tracing.Tracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the OpenTelemetry tracer exports over OTLP lands in the trace store as X-Ray segments. */
class OtlpReceiverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String TRACE = "1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d";

  private final TraceStore store = new TraceStore();
  private final OtlpReceiver receiver = new OtlpReceiver(0, store);

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void otelTracer_shouldLandInTheProducersTrace_asASegmentWithItsSubsegment() {
    Tracer tracer = FunctionEnvironment.with(Map.of("FANOUT_TRACER", "otel",
        "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint().toString(), "POWERTOOLS_SERVICE_NAME", "inventory"), Tracer::fromEnvironment);

    try (Span span = tracer.startSegment("inventory.reserve-stock OrderPlaced", "Root=" + TRACE + ";Parent=53995c3f42cd8ad8;Sampled=1")) {
      span.annotate(Span.CORRELATION_ID, "ord_otlp").outcome("failed");
      try (Span child = tracer.subsegment("DynamoDB.UpdateItem")) {
        child.annotate(Span.EVENT_TYPE, "OrderPlaced");
      }
    }

    Eventually.await(TIMEOUT, () -> store.trace(TRACE).size() == 2);
    List<TraceEntity> trace = store.trace(TRACE);
    TraceEntity record = trace.stream().filter(e -> e.name().startsWith("inventory")).findFirst().orElseThrow();
    TraceEntity child = trace.stream().filter(e -> e.name().startsWith("DynamoDB")).findFirst().orElseThrow();
    assertThat(record.segment()).isTrue();
    assertThat(record.parentId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(record.fault()).isTrue();
    assertThat(record.annotation("outcome")).isEqualTo("failed");
    assertThat(child.segment()).isFalse();
    assertThat(child.parentId()).isEqualTo(record.id());
    assertThat(store.tracesAnnotated(Span.CORRELATION_ID, "ord_otlp")).containsExactly(TRACE);
  }

  @Test
  void receiver_shouldTakeOtlpJson_andRefuseWhatIsNotAnExport() throws Exception {
    String json = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"6745a0c05e1c2b3a4d5f6e7f8a9b0c1d","spanId":"1111111111111111",
        "parentSpanId":"53995c3f42cd8ad8","name":"billing.audit PaymentTaken","kind":5,
        "startTimeUnixNano":"1732616400000000000","endTimeUnixNano":"1732616400500000000",
        "attributes":[{"key":"correlation_id","value":{"stringValue":"ord_json"}}],"status":{}}]}]}]}""";

    assertThat(post(json, "application/json")).isEqualTo(200);
    assertThat(post("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"abc\"}]}]}]}", "application/json")).isEqualTo(400);

    TraceEntity span = store.trace(TRACE).getFirst();
    assertThat(span.name()).isEqualTo("billing.audit PaymentTaken");
    assertThat(span.annotation("correlation_id")).isEqualTo("ord_json");
    assertThat(Duration.between(span.start(), span.end())).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void receiver_shouldStoreAnAwsSdkCall_asTheAwsSubsegmentTheXRaySdkRecords() throws Exception {
    String json = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"6745a0c05e1c2b3a4d5f6e7f8a9b0c1d","spanId":"2222222222222222",
        "parentSpanId":"53995c3f42cd8ad8","name":"SesV2","kind":3,
        "startTimeUnixNano":"1732616400000000000","endTimeUnixNano":"1732616400040000000",
        "attributes":[{"key":"rpc.system","value":{"stringValue":"aws-api"}},{"key":"rpc.service","value":{"stringValue":"SesV2"}},
        {"key":"rpc.method","value":{"stringValue":"SendEmail"}},{"key":"aws.request_id","value":{"stringValue":"req-9"}}],
        "status":{}}]}]}]}""";

    assertThat(post(json, "application/json")).isEqualTo(200);

    TraceEntity call = store.trace(TRACE).getFirst();
    assertThat(call.name()).isEqualTo("SesV2");
    assertThat(call.segment()).isFalse();
    assertThat(call.origin()).as("the subsegment's namespace").isEqualTo("aws");
    assertThat(call.parentId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(OtlpReceiver.document(io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16])).setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]))
        .setName("plain").build()).has("namespace")).as("a span that is no AWS call").isFalse();
  }

  private int post(String body, String type) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
