package com.example.fanout.local;

import static com.example.fanout.local.Events.entry;
import static com.example.fanout.local.Events.newCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

@ExtendWith(TestPlatform.Lifecycle.class)
class PauseConsumerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void pausedConsumer_shouldLeaveItsMessagesInTheQueue_untilItIsResumed() throws Exception {
    String id = newCorrelationId();
    assertThat(control("billing-audit", "pause")).isEqualTo(200);
    try (EventBridgeClient events = TestPlatform.eventBridge()) {
      events.putEvents(b -> b.entries(entry("com.example.billing", "PaymentTaken", id, Map.of("amount", 3))));

      Eventually.await(TestPlatform.TIMEOUT, () -> visible("billing-audit") >= 1, "the message waiting in the paused consumer's queue");
      assertThat(RoutingTest.correlations("billing-audit")).doesNotContain(id);
      assertThat(TestPlatform.get().mapping("billing-audit").orElseThrow().paused()).isTrue();
    } finally {
      assertThat(control("billing-audit", "resume")).isEqualTo(200);
    }
    Eventually.await(TestPlatform.TIMEOUT, () -> RoutingTest.correlations("billing-audit").contains(id), "delivery after resume");
    assertThat(control("no-such-consumer", "pause")).isEqualTo(404);
  }

  private static long visible(String consumer) {
    return TestPlatform.get().status().stream().filter(s -> s.consumer().equals(consumer)).findFirst().orElseThrow().visible();
  }

  private static int control(String consumer, String action) throws Exception {
    URI uri = URI.create(TestPlatform.endpoints().control() + "/_local/consumers/" + consumer + "/" + action);
    return HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
