package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.UDPEmitter;
import com.amazonaws.xray.entities.TraceID;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.observability.Timeline;
import com.example.fanout.local.xray.ServiceSegments;
import com.example.fanout.local.xray.ServiceSegments.ServiceSegment;
import com.example.fanout.local.xray.TraceStore;
import com.example.fanout.local.xray.XRayApiServer;
import com.example.fanout.local.xray.XRayDaemon;
import com.example.fanout.tracing.Span;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.InvalidRequestException;

/** {@code fanout timeline} on AWS, against the daemon stand-in's X-Ray API (GetTraceSummaries, BatchGetTraces). */
class XRayTimelineTest {
  private static final String ORDER = "ord_XRayTimeline01";

  private final TraceStore store = new TraceStore();
  private final XRayDaemon daemon = new XRayDaemon(0, store);
  private final XRayApiServer api = new XRayApiServer(0, store);
  private final ServiceSegments services = new ServiceSegments(store);

  @AfterEach
  void stop() {
    api.close();
    daemon.close();
  }

  @Test
  void timeline_shouldPrintTheLocalTimelinesTable_fromGetTraceSummariesAndBatchGetTraces(@TempDir Path dir) throws Exception {
    String traceId = placeOneOrder();
    services.begin("t-fanout", ServiceSegments.EVENTBRIDGE, null).annotate(Span.CORRELATION_ID, "ord_someoneElse").end();

    Run text = fanout("timeline", ORDER);
    Run json = fanout("timeline", ORDER, "--output", "json");

    assertThat(text.code()).isZero();
    try (SpanLog noHops = new SpanLog(dir)) {
      assertThat(text.out()).as("the same table as the local runtime's").isEqualTo(new Timeline(noHops, store).render(ORDER));
    }
    assertThat(text.out()).contains("timeline of correlation id " + ORDER + " (6 hops)", "eventbridge", "sns", "lambda",
        "t-shop-audit", "shop.audit ItemPicked", "DynamoDb").doesNotContain("ord_someoneElse");
    JsonNode rows = EventJson.parse(json.out());
    Set<String> ids = new HashSet<>();
    List<String> parents = new ArrayList<>();
    rows.forEach(r -> {
      assertThat(r.path("traceId").asText()).isEqualTo(traceId);
      ids.add(r.path("spanId").asText());
      if (!r.path("parentId").isNull() && r.has("parentId")) {
        parents.add(r.path("parentId").asText());
      }
    });
    assertThat(rows).hasSize(6);
    assertThat(ids).containsAll(parents);
  }

  @Test
  void timeline_shouldSayNoTraceWasFound_whenNoneIsAnnotatedWithTheId() {
    Run r = fanout("timeline", "ord_nothingHere");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("(0 hops)", "no X-Ray trace annotated correlation_id = \"ord_nothingHere\"");
  }

  @Test
  void standIn_shouldRefuseWhatX_RayRefuses_orWhatItDoesNotServe() {
    try (XRayClient xray = XRayClient.builder().endpointOverride(api.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThatThrownBy(() -> xray.batchGetTraces(b -> b.traceIds("1-a", "1-b", "1-c", "1-d", "1-e", "1-f")))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("1 to 5 trace ids");
      assertThatThrownBy(() -> xray.getTraceSummaries(b -> b.startTime(Instant.now().minusSeconds(60)).endTime(Instant.now())
          .filterExpression("responsetime > 5")))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("annotation.<key> = \"<value>\"");
    }
  }

  /** EventBridge → SNS → Lambda → the function's record subsegment (sent by the X-Ray SDK through the daemon) with an SDK call. */
  private String placeOneOrder() throws Exception {
    ServiceSegment bus = services.begin("t-fanout", ServiceSegments.EVENTBRIDGE, null).annotate(Span.CORRELATION_ID, ORDER);
    ServiceSegment topic = services.begin("t-shop-events", ServiceSegments.SNS, bus.header()).annotate(Span.CORRELATION_ID, ORDER);
    ServiceSegment lambda = services.begin("t-shop-audit", ServiceSegments.LAMBDA, topic.header());
    ServiceSegment function = lambda.child("t-shop-audit", ServiceSegments.LAMBDA_FUNCTION);
    DaemonConfiguration config = new DaemonConfiguration();
    config.setDaemonAddress(daemon.address());
    AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard().withEmitter(new UDPEmitter(config)).build();
    var record = recorder.beginSegment("shop.audit ItemPicked", TraceID.fromString(function.traceId()), function.id());
    record.putAnnotation(Span.CORRELATION_ID, ORDER);
    record.putAnnotation(Span.EVENT_TYPE, "ItemPicked");
    recorder.beginSubsegment("DynamoDb").setNamespace("aws");
    recorder.endSubsegment();
    recorder.endSegment();
    function.end();
    lambda.end();
    topic.end();
    bus.end();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (store.trace(bus.traceId()).size() < 6) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the SDK's segment did not reach the daemon: " + store.trace(bus.traceId()));
      }
      Thread.sleep(20);
    }
    return bus.traceId();
  }

  private record Run(int code, String out) {}

  private Run fanout(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Fanout.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of(
        "AWS_ENDPOINT_URL_XRAY", api.endpoint().toString(), "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "FANOUT_ENV", "t"));
    assertThat(err.toString()).isEmpty();
    return new Run(code, out.toString());
  }
}
