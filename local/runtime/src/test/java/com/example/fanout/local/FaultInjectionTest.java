package com.example.fanout.local;

import static com.example.fanout.local.Events.entry;
import static com.example.fanout.local.Events.newCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.local.observability.Span;
import com.example.fanout.local.testing.ReceivedMessage;
import com.example.fanout.local.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Each chaos consumer has one fault (see {@link TestPlatform}); events pick the consumer by data.fault. */
@ExtendWith(TestPlatform.Lifecycle.class)
class FaultInjectionTest {
  private static EventBridgeClient events;
  private static SqsClient sqs;

  @BeforeAll
  static void start() {
    TestPlatform.get();
    events = TestPlatform.eventBridge();
    sqs = TestPlatform.sqs();
  }

  @AfterAll
  static void closeClients() {
    events.close();
    sqs.close();
  }

  @Test
  void crashFault_shouldFailWholeBatchesUntilTheDlq_whenTheRateIsOne() {
    String id = publish("crash");

    awaitInDlq("chaos-crash", id);
    assertThat(received("chaos-crash", id)).as("the handler never ran").isEmpty();
    assertThat(TestPlatform.get().mapping("chaos-crash").orElseThrow().stats().crashed()).isGreaterThanOrEqualTo(2);
    assertThat(TestPlatform.get().functionFailures().summaries()).as("the live view's source")
        .filteredOn(f -> f.function().endsWith("chaos-crash")).singleElement()
        .satisfies(f -> assertThat(f.crashes()).isGreaterThanOrEqualTo(2));
  }

  @Test
  void throttleFault_shouldMakeThePollerBackOffAndRetry_untilEveryMessageIsHandled() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = publish("throttle");
      ids.add(id);
      Eventually.await(TestPlatform.TIMEOUT, () -> !received("chaos-throttle", id).isEmpty());
    }

    assertThat(TestPlatform.get().mapping("chaos-throttle").orElseThrow().stats().throttled()).isPositive();
    assertThat(TestPlatform.get().queue("chaos-throttle").dlqUrl()).satisfies(dlq -> assertThat(
        sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0)).messages()).isEmpty());
    assertThat(ids.stream().flatMap(id -> TestPlatform.get().timeline().spans(id).stream()))
        .anyMatch(s -> s.name().startsWith("fault: invoke throttled"));
  }

  @Test
  void duplicateFault_shouldDeliverTheSameBodyTwice_whenTheRateIsOne() {
    String id = publish("duplicate");

    Eventually.await(TestPlatform.TIMEOUT, () -> received("chaos-duplicate", id).size() == 2);
    List<ReceivedMessage> copies = received("chaos-duplicate", id);
    assertThat(copies.get(0).body()).isEqualTo(copies.get(1).body());
    assertThat(copies.get(0).messageId()).isNotEqualTo(copies.get(1).messageId());
  }

  @Test
  void delayFault_shouldHoldEveryInvocationBack_byTheConfiguredDelay() {
    String id = publish("delay");

    // The handler's span is recorded once the invocation returns, just after the handler saw the message.
    Eventually.await(TestPlatform.TIMEOUT, () -> TestPlatform.get().timeline().spans(id).stream()
        .anyMatch(s -> s.name().equals("handler t-chaos-delay")));
    List<Span> spans = TestPlatform.get().timeline().spans(id);
    Span receivedAt = spans.stream().filter(s -> s.name().equals("poller received")).findFirst().orElseThrow();
    Span handler = spans.stream().filter(s -> s.name().equals("handler t-chaos-delay")).findFirst().orElseThrow();
    assertThat(Duration.between(receivedAt.start(), handler.start())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void poisonFault_shouldAddAMalformedCopyThatEndsInTheDlq_whileTheOriginalIsHandled() {
    String id = publish("poison");

    Eventually.await(TestPlatform.TIMEOUT, () -> received("chaos-poison", id).size() == 1);
    String dlq = TestPlatform.get().queue("chaos-poison").dlqUrl();
    List<String> inDlq = new ArrayList<>();
    Eventually.await(TestPlatform.TIMEOUT, () -> {
      sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0)).messages()
          .forEach(m -> inDlq.add(m.body()));
      return inDlq.stream().anyMatch(body -> body.contains(id));
    });
    String poisoned = inDlq.stream().filter(body -> body.contains(id)).findFirst().orElseThrow();
    assertThatThrownBy(() -> com.example.fanout.event.EventJson.parse(poisoned)).as("the DLQ holds the malformed copy")
        .isInstanceOf(RuntimeException.class);
    assertThat(Recorder.received("chaos-poison", ReceivedMessage.class)).anyMatch(m -> m.event() == null && m.body().contains(id));
  }

  @Test
  void queueOutage_shouldBeRetriedBySns_andReachTheConsumerOnceTheQueueAnswers_withNothingInTheDlq() {
    FaultPlan faults = TestPlatform.get().faults();
    faults.setDeliveryFault("chaos-duplicate", FaultPlan.DELIVERY_UNAVAILABLE, 1);
    String id;
    try {
      id = publish("duplicate");
      Eventually.await(TestPlatform.TIMEOUT, () -> TestPlatform.get().timeline().spans(id).stream()
          .anyMatch(s -> s.name().equals("delivery failed, retrying")), "SNS retrying the delivery to chaos-duplicate");
      assertThat(received("chaos-duplicate", id)).as("nothing delivered during the outage").isEmpty();
      Eventually.await(TestPlatform.TIMEOUT, () -> snsRetrying("chaos-duplicate") > 0,
          "the status showing the delivery waiting for SNS's retry");
    } finally {
      faults.setDeliveryFault("chaos-duplicate", FaultPlan.DELIVERY_UNAVAILABLE, 0);
    }

    Eventually.await(TestPlatform.TIMEOUT, () -> received("chaos-duplicate", id).size() == 2, "the delivery after the outage");
    String dlq = TestPlatform.get().queue("chaos-duplicate").dlqUrl();
    assertThat(sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0)).messages())
        .noneMatch(m -> m.body().contains(id));
    assertThat(TestPlatform.get().timeline().spans(id)).anyMatch(s -> s.name().startsWith("delivered to queue (retry "));
    Eventually.await(TestPlatform.TIMEOUT, () -> snsRetrying("chaos-duplicate") == 0, "no delivery left waiting once delivered");
  }

  private static int snsRetrying(String consumer) {
    return TestPlatform.get().status().stream().filter(s -> s.consumer().equals(consumer)).mapToInt(ConsumerStatus::snsRetrying).sum();
  }

  private static String publish(String fault) {
    String id = newCorrelationId();
    var response = events.putEvents(b -> b.entries(entry("com.example.shop", "ItemPicked", id, Map.of("fault", fault))));
    assertThat(response.failedEntryCount()).isZero();
    return id;
  }

  private static void awaitInDlq(String consumer, String id) {
    String dlq = TestPlatform.get().queue(consumer).dlqUrl();
    List<String> bodies = new ArrayList<>();
    Eventually.await(TestPlatform.TIMEOUT, () -> {
      sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0)).messages()
          .forEach(m -> bodies.add(m.body()));
      return bodies.stream().anyMatch(b -> b.contains(id));
    }, id + " in " + dlq);
  }

  private static List<ReceivedMessage> received(String function, String id) {
    return Recorder.received(function, ReceivedMessage.class).stream().filter(m -> id.equals(m.correlationId())).toList();
  }
}
