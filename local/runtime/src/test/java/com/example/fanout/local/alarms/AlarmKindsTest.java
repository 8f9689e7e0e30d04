package com.example.fanout.local.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.Eventually;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.TestPlatform;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import com.example.fanout.local.testing.RecordingStreamHandler;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** The service metrics the stand-ins produce reach the local CloudWatch under the names the alarms watch. */
@ExtendWith(TestPlatform.Lifecycle.class)
class AlarmKindsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final LocalPlatform platform = TestPlatform.get();

  /**
   * The datapoints of {@code key} since {@code from} (the platform's clock). Counted from an instant, not
   * as a difference of sums over the last hour: at the test clock's speed an hour is 6 s, and points of
   * earlier tests leave the window (and the store's retention) while a test runs.
   */
  private double sumSince(MetricKey key, Instant from) {
    MetricStore m = platform.alarms().metrics();
    return m.values(key, from, m.now().plusSeconds(1)).stream().mapToDouble(Double::doubleValue).sum();
  }

  @Test
  void apiResponses_shouldBeCountedUnderTheApisIdAndStage() throws Exception {
    MetricKey count = new MetricKey("AWS/ApiGateway", "Count", Map.of("ApiId", TestPlatform.ENV + "-shop-api", "Stage", "$default"));
    for (int i = 0; i < 3; i++) {
      // Each request on its own: under load three requests can take longer than the store keeps a point.
      Instant sent = platform.alarms().metrics().now();
      HTTP.send(HttpRequest.newBuilder(TestPlatform.api("/orders/o-" + i)).GET().build(), HttpResponse.BodyHandlers.ofString());
      Eventually.await(TestPlatform.TIMEOUT, () -> sumSince(count, sent) >= 1, "API request " + i + " counted");
    }
  }

  /**
   * The relay is held while records pile up, then works through them slowly: every invocation, a
   * few per minute of the local clock, reports the age of a record minutes old, for more than the
   * alarm's five periods. Once it has caught up, no invocation means no datapoint (notBreaching): OK.
   */
  @Test
  void streamIteratorAgeHigh_shouldAlarmWhileTheRelayIsBehind_andClearOnceItCaughtUp() {
    String alarm = TestPlatform.ENV + "-shop-order-stream-StreamIteratorAgeHigh";
    String run = "lag-" + UUID.randomUUID();
    CountDownLatch gate = new CountDownLatch(1);
    RecordingStreamHandler.GATES.put(run, gate);
    try (var dynamoDb = TestPlatform.dynamoDb()) {
      dynamoDb.putItem(b -> b.tableName(TestPlatform.ENV + "-shop-orders")
          .item(Map.of("pk", AttributeValue.fromS(run + "-gate"), "wait_for", AttributeValue.fromS(run))));
      for (int i = 0; i < 150; i++) {
        String pk = run + "-" + i;
        dynamoDb.putItem(b -> b.tableName(TestPlatform.ENV + "-shop-orders")
            .item(Map.of("pk", AttributeValue.fromS(pk), "sleep_ms", AttributeValue.fromS("5"))));
      }
    } finally {
      gate.countDown();
    }
    Eventually.await(TestPlatform.TIMEOUT, () -> platform.alarms().transitions().stream()
        .anyMatch(t -> t.alarm().equals(alarm) && t.to() == AlarmState.ALARM), alarm + " in ALARM");
    Eventually.await(TestPlatform.TIMEOUT, () -> platform.alarms().status().stream()
        .anyMatch(a -> a.name().equals(alarm) && a.state() == AlarmState.OK), alarm + " back to OK");
  }

  @Test
  void undeliverableEvent_shouldCountAFailedInvocationOfItsRule() {
    MetricKey failed = new MetricKey("AWS/Events", "FailedInvocations",
        Map.of("EventBusName", TestPlatform.ENV + "-fanout", "RuleName", TestPlatform.ENV + "-shop-to-topic"));
    Instant sent = platform.alarms().metrics().now();
    try (var events = TestPlatform.eventBridge()) {
      var response = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName(TestPlatform.ENV + "-fanout")
          .source("com.example.shop").detailType("OrderPlaced").detail("{\"pad\":\"" + "x".repeat(262_144 - 200) + "\"}").build()));
      assertThat(response.failedEntryCount()).isZero();
    }
    Eventually.await(TestPlatform.TIMEOUT, () -> sumSince(failed, sent) >= 1, "a FailedInvocations datapoint");
  }
}
