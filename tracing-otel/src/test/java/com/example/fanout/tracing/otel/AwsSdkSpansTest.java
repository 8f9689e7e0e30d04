package com.example.fanout.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.tracing.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** AWS SDK calls as client spans of the record's span, against an HTTP client that answers in memory. */
class AwsSdkSpansTest {
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final OtelTracer tracer = new OtelTracer(SdkTracerProvider.builder()
      .setIdGenerator(new XRayIdGenerator(Clock.systemUTC()))
      .addSpanProcessor(SimpleSpanProcessor.create(exported)).build(), false, Optional::empty);

  /** Answers every request with {@code status} and {@code body}, as SQS's JSON protocol would. */
  private static SdkHttpClient answering(int status, String body) {
    return new SdkHttpClient() {
      @Override
      public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
          @Override
          public HttpExecuteResponse call() {
            return HttpExecuteResponse.builder()
                .response(SdkHttpResponse.builder().statusCode(status).putHeader("x-amzn-RequestId", "req-1")
                    .putHeader("Content-Type", "application/x-amz-json-1.0").build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
          }

          @Override
          public void abort() {}
        };
      }

      @Override
      public void close() {}
    };
  }

  private SqsClient sqs(SdkHttpClient http) {
    return SqsClient.builder().httpClient(http).region(Region.US_EAST_1)
        .endpointOverride(java.net.URI.create("http://sqs.invalid"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .overrideConfiguration(tracer.instrument(ClientOverrideConfiguration.builder()).build()).build();
  }

  @Test
  void instrument_shouldRecordEachCallAsAClientSpanOfTheCurrentSpan_withServiceOperationAndRequestId() {
    try (SqsClient sqs = sqs(answering(200, "{\"QueueUrl\":\"http://sqs.invalid/000000000000/q\"}"));
        Span record = tracer.startSegment("notifications.notify-customer OrderShipped", null)) {
      sqs.getQueueUrl(b -> b.queueName("q"));
    }

    SpanData record = exported.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("notifications")).findFirst().orElseThrow();
    assertThat(exported.getFinishedSpanItems()).filteredOn(s -> s.getKind() == SpanKind.CLIENT).singleElement().satisfies(call -> {
      assertThat(call.getName()).as("the SDK's service name, as the X-Ray SDK names its subsegment").isEqualTo("Sqs");
      assertThat(call.getParentSpanId()).isEqualTo(record.getSpanId());
      assertThat(call.getTraceId()).isEqualTo(record.getTraceId());
      assertThat(call.getAttributes().get(AwsSdkSpans.RPC_SYSTEM)).isEqualTo("aws-api");
      assertThat(call.getAttributes().get(AwsSdkSpans.RPC_SERVICE)).isEqualTo("Sqs");
      assertThat(call.getAttributes().get(AwsSdkSpans.RPC_METHOD)).isEqualTo("GetQueueUrl");
      assertThat(call.getAttributes().get(AwsSdkSpans.REQUEST_ID)).isEqualTo("req-1");
      assertThat(call.getAttributes().get(AwsSdkSpans.HTTP_STATUS)).isEqualTo(200L);
      assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    });
  }

  @Test
  void instrument_shouldMarkTheSpanAnError_whenTheServiceRefusesTheCall() {
    try (SqsClient sqs = sqs(answering(400, "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"no such queue\"}"));
        Span record = tracer.startSegment("notifications.notify-customer OrderShipped", null)) {
      assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("q"))).isInstanceOf(QueueDoesNotExistException.class);
    }

    assertThat(exported.getFinishedSpanItems()).filteredOn(s -> s.getKind() == SpanKind.CLIENT).singleElement().satisfies(call -> {
      assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(call.getAttributes().get(AwsSdkSpans.HTTP_STATUS)).isEqualTo(400L);
      assertThat(call.getEvents()).extracting(e -> e.getName()).contains("exception");
    });
  }

  @Test
  void instrument_shouldRecordNothing_whenTheCallIsAPrimingInvocationsUnderPrimingsSpan() {
    java.util.List<String> primingExports = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (SqsClient sqs = sqs(answering(200, "{\"QueueUrl\":\"http://sqs.invalid/000000000000/q\"}"))) {
      tracer.primeWith(priming -> {
        try (Span record = priming.startSegment("prime.prime Primed", null)) {
          sqs.getQueueUrl(b -> b.queueName("q"));
        }
        return null;
      }, primingExports::add);
      assertThat(exported.getFinishedSpanItems()).as("the function's provider, a priming invocation's call").isEmpty();

      try (Span record = tracer.startSegment("notifications.notify-customer OrderShipped", null)) {
        sqs.getQueueUrl(b -> b.queueName("q"));
      }
    }

    assertThat(primingExports).as("priming's record span, exported to its own collector").isNotEmpty();
    assertThat(exported.getFinishedSpanItems()).as("a real invocation's call, after priming")
        .filteredOn(s -> s.getKind() == SpanKind.CLIENT).singleElement()
        .satisfies(call -> assertThat(call.getName()).isEqualTo("Sqs"));
  }

  @Test
  void instrument_shouldRecordNothing_whenNoSpanIsCurrent() {
    try (SqsClient sqs = sqs(answering(200, "{\"QueueUrl\":\"http://sqs.invalid/000000000000/q\"}"))) {
      sqs.getQueueUrl(b -> b.queueName("q"));
    }

    assertThat(exported.getFinishedSpanItems()).isEmpty();
  }
}
