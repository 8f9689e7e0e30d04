package com.example.fanout.local.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.DeliveryCounts;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.sns.DomainTopic;
import com.example.fanout.local.sqs.QueueRef;
import com.example.fanout.local.sqs.Queues;
import com.example.fanout.local.testing.EmbeddedSqs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A rule target that fails, as EventBridge handles it ("How EventBridge retries delivering events",
 * eb-rule-retry-policy.html; "Using dead-letter queues", eb-rule-dlq.html): retryable errors are
 * retried with backoff until the retry policy's attempts or event age run out, others are not; the
 * event then lands in the target's DLQ with ERROR_CODE, ERROR_MESSAGE, RULE_ARN, TARGET_ARN,
 * RETRY_ATTEMPTS and, when a limit of the policy ended it, EXHAUSTED_RETRY_CONDITION, and
 * the failed invocation is counted. The clock runs 600 times faster, so 10 minutes of event age are 1 s.
 */
class TargetDeliveryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @RegisterExtension
  static final EmbeddedSqs SQS = new EmbeddedSqs();

  @TempDir
  Path dir;

  @Test
  void unavailableTopic_shouldBeRetriedThenParkedWithAwsAttributes_whenTheRetryAttemptsRunOut() {
    DeliveryCounts metrics = new DeliveryCounts();
    try (Bus bus = bus("orders-events:unavailable=1", new TargetRetryPolicy(2, Duration.ofHours(1)), metrics)) {
      bus.publish("ord_1");

      Message parked = awaitParked(bus.dlq()).getFirst();
      assertThat(parked.body()).contains("ord_1").contains("\"detail-type\":\"OrderPlaced\"");
      assertThat(attributes(parked)).containsEntry("ERROR_CODE", "InternalError")
          .containsEntry("ERROR_MESSAGE", "fault: t-orders-events is unavailable (500)")
          .containsEntry("RULE_ARN", "arn:aws:events:us-east-1:000000000000:rule/t-fanout/t-orders-to-topic")
          .containsEntry("TARGET_ARN", "arn:aws:sns:us-east-1:000000000000:t-orders-events")
          .containsEntry("RETRY_ATTEMPTS", "2")
          .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts");
      assertThat(metrics.invocations()).as("the first attempt and two retries").isEqualTo(3);
      assertThat(metrics.failedInvocations()).isOne();
      Eventually.await(TIMEOUT, () -> metrics.sentToDlq() == 1, "the DLQ write counted");
    }
  }

  /** EventBridge drops an event it cannot write to the DLQ and counts it; the other events of the delivery go on. */
  @Test
  void unwritableDlq_shouldCountEachLostEvent_andNotStopTheRestOfTheDelivery() {
    DeliveryCounts metrics = new DeliveryCounts();
    try (Bus bus = bus("orders-events:refuse=1", TargetRetryPolicy.DEFAULT, metrics)) {
      SQS.client().deleteQueue(b -> b.queueUrl(bus.dlq().url()));
      bus.publish("ord_lost_1", "ord_lost_2");

      Eventually.await(TIMEOUT, () -> metrics.failedToBeSentToDlq() == 2, "both events counted as not sent to the DLQ");
      assertThat(metrics.failedInvocations()).isEqualTo(2);
      assertThat(metrics.sentToDlq()).isZero();
      assertThat(bus.spans.all().stream().filter(s -> s.name().equals("rule DLQ unwritable, event lost")).map(s -> s.correlationId()))
          .containsExactlyInAnyOrder("ord_lost_1", "ord_lost_2");
    }
  }

  @Test
  void refusingTopic_shouldNotBeRetried_whenTheErrorIsNotRetryable() {
    DeliveryCounts metrics = new DeliveryCounts();
    try (Bus bus = bus("orders-events:refuse=1", TargetRetryPolicy.DEFAULT, metrics)) {
      bus.publish("ord_2");

      Message parked = awaitParked(bus.dlq()).getFirst();
      assertThat(attributes(parked)).containsEntry("ERROR_CODE", "AuthorizationError").containsEntry("RETRY_ATTEMPTS", "0")
          .doesNotContainKey("EXHAUSTED_RETRY_CONDITION");
      assertThat(metrics.invocations()).isOne();
      assertThat(metrics.failedInvocations()).isOne();
    }
  }

  @Test
  void unavailableTopic_shouldBeParked_whenTheMaximumEventAgeIsReachedBeforeTheAttempts() {
    DeliveryCounts metrics = new DeliveryCounts();
    // 10 minutes on the runtime clock are 1 s of real time; 185 retries with backoff would take hours.
    try (Bus bus = bus("orders-events:unavailable=1", new TargetRetryPolicy(185, Duration.ofMinutes(10)), metrics)) {
      bus.publish("ord_3");

      Message parked = awaitParked(bus.dlq()).getFirst();
      assertThat(metrics.invocations()).as("stopped by age, below the 186 attempts").isBetween(1L, 185L);
      assertThat(attributes(parked)).containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumEventAgeInSeconds")
          .containsEntry("RETRY_ATTEMPTS", Long.toString(metrics.invocations() - 1));
    }
  }

  @Test
  void flakyTopic_shouldDeliverEveryEvent_whenRetriesSucceed() {
    DeliveryCounts metrics = new DeliveryCounts();
    try (Bus bus = bus("orders-events:unavailable=0.5", TargetRetryPolicy.DEFAULT, metrics)) {
      for (int i = 0; i < 10; i++) {
        bus.publish("ord_flaky_" + i);
      }

      Eventually.await(TIMEOUT, () -> bus.spans.all().stream().filter(s -> s.name().equals("delivered to topic")).count() == 10,
          "every event delivered to the topic");
      assertThat(metrics.failedInvocations()).isZero();
      assertThat(metrics.invocations()).isGreaterThan(10);
      assertThat(SQS.client().receiveMessage(b -> b.queueUrl(bus.dlq().url()).waitTimeSeconds(0)).messages()).isEmpty();
    }
  }

  @Test
  void missingQueue_shouldFailTheSnsDeliveryIntoTheSubscriptionDlq_andBeCounted() {
    DeliveryCounts metrics = new DeliveryCounts();
    QueueRef queue = auditQueue();
    try (Bus bus = bus("audit-orders:missing=1", TargetRetryPolicy.DEFAULT, metrics)) {
      subscribeAudit(bus, queue);
      bus.publish("ord_4");

      awaitParked(new QueueRef(queue.dlqName(), queue.dlqUrl(), null, null, null));
      assertThat(metrics.notificationsFailed()).isOne();
      assertThat(SQS.client().receiveMessage(b -> b.queueUrl(queue.url()).waitTimeSeconds(0)).messages()).isEmpty();
      assertThat(metrics.failedInvocations()).as("SNS accepted the publish: the rule delivered").isZero();
    }
  }

  @Test
  void stoppedBus_shouldKeepTheDeliveriesWaitingForARetry_andTheNextBusDeliversThem() throws Exception {
    Path kept = dir.resolve("eventbridge").resolve("retries.jsonl");
    try (Bus before = bus("orders-events:unavailable=1", TargetRetryPolicy.DEFAULT, new DeliveryCounts())) {
      assertThat(before.bus().keepRetriesIn(kept)).isZero();
      before.publish("ord_kept");
      Eventually.await(TIMEOUT, () -> before.spans.all().stream().anyMatch(s -> s.name().equals("target failed, retrying")),
          "a retry waiting");
    }
    assertThat(java.nio.file.Files.readAllLines(kept)).singleElement().satisfies(line ->
        assertThat(EventJson.parse(line).path("body").asText()).contains("evt_ord_kept"));

    DeliveryCounts metrics = new DeliveryCounts();
    QueueRef queue = auditQueue();
    try (Bus after = bus("", TargetRetryPolicy.DEFAULT, metrics)) {
      subscribeAudit(after, queue);

      assertThat(after.bus().keepRetriesIn(kept)).isOne();

      List<Message> delivered = new ArrayList<>();
      Eventually.await(TIMEOUT, () -> {
        delivered.addAll(SQS.client().receiveMessage(b -> b.queueUrl(queue.url()).waitTimeSeconds(1)).messages());
        return !delivered.isEmpty();
      }, "the kept event delivered");
      assertThat(delivered).singleElement().satisfies(m -> assertThat(m.body()).contains("evt_ord_kept"));
      assertThat(kept).doesNotExist();
      assertThat(metrics.failedInvocations()).isZero();
    }
  }

  /**
   * A bus at a fast clock kept the delivery, its clock hours ahead of the real time where the next
   * bus's clock starts: the delivery's age at the stop carries over, not that clock's instant, so the
   * next failed attempt finds it past the maximum event age and parks it.
   */
  @Test
  void keptDelivery_shouldBeAsOldAsAtTheStop_evenWhenTheLastBussClockRanAhead() throws Exception {
    Path kept = dir.resolve("eventbridge").resolve("retries.jsonl");
    try (Bus before = bus("orders-events:unavailable=1", TargetRetryPolicy.DEFAULT, new DeliveryCounts())) {
      before.bus().keepRetriesIn(kept);
      before.publish("ord_aged");
      Eventually.await(TIMEOUT, () -> before.spans.all().stream().anyMatch(s -> s.name().equals("target failed, retrying")),
          "a retry waiting");
    }
    var line = (com.fasterxml.jackson.databind.node.ObjectNode) EventJson.parse(java.nio.file.Files.readString(kept));
    assertThat(Duration.parse(line.get("age").asText())).as("its age at the stop").isBetween(Duration.ZERO, Duration.ofMinutes(10));
    line.put("acceptedAt", java.time.Instant.now().plus(Duration.ofHours(10)).toString());
    line.put("age", TargetRetryPolicy.DEFAULT.maximumEventAge().plusHours(1).toString());
    java.nio.file.Files.writeString(kept, EventJson.write(line) + "\n");

    DeliveryCounts metrics = new DeliveryCounts();
    try (Bus after = bus("orders-events:unavailable=1", TargetRetryPolicy.DEFAULT, metrics)) {
      assertThat(after.bus().keepRetriesIn(kept)).isOne();

      Message parked = awaitParked(after.dlq()).getFirst();
      assertThat(parked.body()).contains("evt_ord_aged");
      assertThat(attributes(parked)).containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumEventAgeInSeconds");
      assertThat(metrics.invocations()).as("one attempt after the start, then no retry").isOne();
    }
  }

  @Test
  void stoppedBus_shouldKeepAnAttemptStillRunning_whenTheTopicsQueueDoesNotAnswer() throws Exception {
    Path kept = dir.resolve("eventbridge").resolve("retries.jsonl");
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    // A queue that took the message but does not answer, even when the sender is interrupted.
    SqsClient silent = new SqsClient() {
      @Override
      public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        sending.countDown();
        boolean interrupted = false;
        while (answer.getCount() > 0) {
          try {
            answer.await();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        throw AbortedException.create("Thread was interrupted");
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };
    SpanLog spans = new SpanLog(dir.resolve("spans-silent"));
    EventArchive archive = new EventArchive(dir.resolve("archive-silent"));
    EventBus bus = new EventBus("t-fanout", "us-east-1", "000000000000", spans, archive, SQS.client(), new LocalClock(600), new DeliveryCounts());
    DomainTopic topic = new DomainTopic("t-orders-events", silent, spans, FaultPlan.none(), new DeliveryCounts());
    bus.addRule("t-orders-to-topic", "com.example.orders", topic,
        new Queues(SQS.client()).create("t-orders-events-rule-dlq-silent", Map.of()), TargetRetryPolicy.DEFAULT);
    try (Bus running = new Bus(bus, topic, spans, archive, null)) {
      subscribeAudit(running, auditQueue());
      assertThat(bus.keepRetriesIn(kept)).isZero();
      running.publish("ord_silent");
      assertThat(sending.await(20, TimeUnit.SECONDS)).as("the delivery reached the queue").isTrue();
    } finally {
      answer.countDown();
    }

    assertThat(java.nio.file.Files.readAllLines(kept)).singleElement().satisfies(line -> {
      assertThat(EventJson.parse(line).path("body").asText()).contains("evt_ord_silent");
      assertThat(EventJson.parse(line).path("attempt").asInt()).as("the unfinished attempt is made again").isOne();
    });
  }

  /** A consumer's queue (and DLQ) of its own, for a test that subscribes it to the topic. */
  private static QueueRef auditQueue() {
    return new Queues(SQS.client()).createWithDlq("t-audit-orders-" + Long.toHexString(System.nanoTime()),
        new com.example.fanout.manifest.ServiceManifest.QueueSpec(30, 3));
  }

  private static void subscribeAudit(Bus bus, QueueRef queue) {
    bus.topic().subscribe(new com.example.fanout.local.sns.QueueSubscription("audit-orders", queue,
        com.example.fanout.manifest.FilterPolicies.policyFor(List.of("OrderPlaced"), null)));
  }

  private Bus bus(String fault, TargetRetryPolicy retry, DeliveryCounts metrics) {
    String suffix = Long.toHexString(System.nanoTime());
    SpanLog spans = new SpanLog(dir.resolve("spans-" + suffix));
    EventArchive archive = new EventArchive(dir.resolve("archive-" + suffix));
    LocalClock clock = new LocalClock(600);
    FaultPlan faults = fault.isEmpty() ? FaultPlan.none() : FaultPlan.builder().parse(fault).build();
    EventBus bus = new EventBus("t-fanout", "us-east-1", "000000000000", spans, archive, SQS.client(), clock, metrics);
    QueueRef dlq = new Queues(SQS.client()).create("t-orders-events-rule-dlq-" + suffix, Map.of());
    DomainTopic topic = new DomainTopic("t-orders-events", SQS.client(), spans, faults, metrics);
    bus.addRule("t-orders-to-topic", "com.example.orders", topic, dlq, retry);
    return new Bus(bus, topic, spans, archive, dlq);
  }

  private static List<Message> awaitParked(QueueRef dlq) {
    List<Message> found = new ArrayList<>();
    Eventually.await(TIMEOUT, () -> {
      found.addAll(SQS.client().receiveMessage(b -> b.queueUrl(dlq.url()).messageAttributeNames("All").waitTimeSeconds(1)).messages());
      return !found.isEmpty();
    }, "a message in the rule DLQ");
    return found;
  }

  private static Map<String, String> attributes(Message m) {
    Map<String, String> out = new java.util.HashMap<>();
    m.messageAttributes().forEach((k, v) -> out.put(k, v.stringValue()));
    return out;
  }

  private record Bus(EventBus bus, DomainTopic topic, SpanLog spans, EventArchive archive, QueueRef dlq) implements AutoCloseable {
    /** One PutEvents call with an event per correlation id: the rule delivers them together. */
    void publish(String... correlationIds) {
      var entries = EventJson.mapper().createArrayNode();
      for (String correlationId : correlationIds) {
        String detail = "{\"id\":\"evt_" + correlationId + "\",\"type\":\"OrderPlaced\",\"correlationId\":\"" + correlationId + "\"}";
        entries.addObject().put("Source", "com.example.orders").put("DetailType", "OrderPlaced").put("Detail", detail)
            .put("EventBusName", "t-fanout");
      }
      assertThat(bus.putEvents(entries)).allSatisfy(r -> assertThat(r.isFailure()).isFalse());
    }

    @Override
    public void close() {
      bus.close();
      spans.close();
      archive.close();
    }
  }

}
