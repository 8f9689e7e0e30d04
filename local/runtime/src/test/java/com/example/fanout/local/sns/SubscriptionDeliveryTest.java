package com.example.fanout.local.sns;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.AwsClients;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.DeliveryCounts;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.sqs.QueueRef;
import com.example.fanout.local.sqs.Queues;
import com.example.fanout.manifest.FilterPolicies;
import com.example.fanout.manifest.ServiceManifest.QueueSpec;
import com.example.fanout.local.testing.EmbeddedSqs;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A topic's delivery into a subscribed queue that fails, against ElasticMQ, as SNS handles it
 * ("Amazon SNS message delivery retries", "Amazon SNS dead-letter queues"): a server-side error is
 * retried with the delivery policy for SQS and the message is delivered once the queue answers, or
 * parked in the subscription's DLQ when the policy runs out; a client-side error is parked at once.
 */
class SubscriptionDeliveryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String CONSUMER = "audit-orders";

  @RegisterExtension
  static final EmbeddedSqs SQS = new EmbeddedSqs();

  @TempDir
  Path dir;

  @Test
  void unavailableQueue_shouldBeRetriedPastTheImmediatePhase_andDeliveredOnceTheQueueAnswersAgain() {
    FaultPlan faults = queueUnavailable();
    DeliveryCounts counts = new DeliveryCounts();
    QueueRef queue = queue();
    try (SpanLog spans = new SpanLog(dir); DomainTopic topic = topic(spans, faults, counts, new LocalClock(600), queue)) {
      topic.publish(event("ord_outage"), null);

      assertThat(hops(spans, "delivery failed, retrying")).singleElement()
          .satisfies(s -> assertThat(s.detail()).contains("InternalError"));
      assertThat(receive(queue.url())).as("nothing delivered during the outage").isEmpty();
      Eventually.await(TIMEOUT, () -> topic.waitingForRetry(CONSUMER) == 1, "the delivery counted as waiting for a retry");
      assertThat(topic.waitingForRetry("audit-other")).isZero();
      faults.setDeliveryFault(CONSUMER, FaultPlan.DELIVERY_UNAVAILABLE, 0);

      Eventually.await(TIMEOUT, () -> spans.all().stream().anyMatch(s -> s.name().startsWith("delivered to queue")),
          "the delivery after the outage");
      assertThat(receive(queue.url())).singleElement().satisfies(m -> assertThat(m.body()).contains("evt_ord_outage"));
      assertThat(spans.all()).filteredOn(s -> s.name().startsWith("delivered to queue")).singleElement()
          .satisfies(s -> assertThat(retryOf(s)).as("a delayed retry, after the 3 immediate ones").isGreaterThan(3));
      assertThat(receive(queue.dlqUrl())).isEmpty();
      assertThat(counts.notificationsDelivered()).isOne();
      assertThat(counts.notificationsFailed()).isZero();
      assertThat(topic.waitingForRetry(CONSUMER)).isZero();
    }
  }

  @Test
  void unavailableQueue_shouldBeParkedInTheSubscriptionDlq_whenTheDeliveryPolicyRunsOut() {
    FaultPlan faults = queueUnavailable();
    DeliveryCounts counts = new DeliveryCounts();
    QueueRef queue = queue();
    // 23 days of SNS's retries in 2 ms of the runtime clock's waits: the 100,015 attempts themselves take the time.
    try (SpanLog spans = new SpanLog(dir); DomainTopic topic = topic(spans, faults, counts, new LocalClock(1_000_000_000), queue)) {
      topic.publish(event("ord_gone"), null);

      List<Message> parked = awaitParked(queue);
      assertThat(parked).singleElement().satisfies(m -> assertThat(m.body()).contains("evt_ord_gone"));
      assertThat(hops(spans, "delivery failed, to subscription DLQ")).singleElement()
          .satisfies(s -> assertThat(s.detail()).contains("InternalError").contains("delivery policy exhausted after 100015 retries"));
      assertThat(counts.notificationsFailed()).isOne();
      assertThat(counts.notificationsDelivered()).isZero();
    }
  }

  @Test
  void deletedQueue_shouldBeParkedAtOnce_becauseSqsAnswersTheRequestIsAtFault() {
    DeliveryCounts counts = new DeliveryCounts();
    QueueRef queue = queue();
    SQS.client().deleteQueue(b -> b.queueUrl(queue.url()));
    try (SpanLog spans = new SpanLog(dir); DomainTopic topic = topic(spans, FaultPlan.none(), counts, new LocalClock(1), queue)) {
      topic.publish(event("ord_deleted"), null);

      assertThat(hops(spans, "delivery failed, retrying")).isEmpty();
      assertThat(hops(spans, "delivery failed, to subscription DLQ")).singleElement()
          .satisfies(s -> assertThat(s.detail()).contains("QueueDoesNotExist").contains("client-side error, not retried"));
      assertThat(awaitParked(queue)).singleElement().satisfies(m -> assertThat(m.body()).contains("evt_ord_deleted"));
      assertThat(counts.notificationsFailed()).isOne();
    }
  }

  /** SNS drops a delivery it cannot move to the subscription's DLQ either and counts it; the rest of the batch goes on. */
  @Test
  void deletedQueueAndDlq_shouldCountEachLostDelivery_andNotStopTheRestOfTheBatch() {
    DeliveryCounts counts = new DeliveryCounts();
    QueueRef queue = queue();
    SQS.client().deleteQueue(b -> b.queueUrl(queue.url()));
    SQS.client().deleteQueue(b -> b.queueUrl(queue.dlqUrl()));
    try (SpanLog spans = new SpanLog(dir); DomainTopic topic = topic(spans, FaultPlan.none(), counts, new LocalClock(1), queue)) {
      topic.publishAll(List.of(new DomainTopic.Message(event("ord_lost_1"), null), new DomainTopic.Message(event("ord_lost_2"), null)));

      assertThat(counts.notificationsFailed()).isEqualTo(2);
      assertThat(counts.notificationsFailedToRedrive()).as("both deliveries lost, each counted").isEqualTo(2);
      assertThat(hops(spans, "subscription DLQ unwritable, delivery lost")).extracting(Span::correlationId)
          .containsExactlyInAnyOrder("ord_lost_1", "ord_lost_2");
    }
  }

  @Test
  void waitingRetry_shouldBeParkedInTheSubscriptionDlqWithTheReason_whenTheTopicStops() {
    FaultPlan faults = queueUnavailable();
    DeliveryCounts counts = new DeliveryCounts();
    QueueRef queue = queue();
    try (SpanLog spans = new SpanLog(dir); DomainTopic topic = topic(spans, faults, counts, new LocalClock(1), queue)) {
      topic.publish(event("ord_stopping"), null);
      assertThat(receive(queue.dlqUrl())).as("not parked while SNS retries").isEmpty();

      topic.close();

      assertThat(hops(spans, "delivery failed, to subscription DLQ")).singleElement()
          .satisfies(s -> assertThat(s.detail()).contains("the platform stopped before SNS's retry"));
      assertThat(awaitParked(queue)).singleElement().satisfies(m -> assertThat(m.body()).contains("evt_ord_stopping"));
      assertThat(counts.notificationsFailed()).isOne();
    }
  }

  @Test
  void stoppedTopic_shouldKeepTheRetriesWaitingInItsFile_andTheNextTopicDeliversThem() throws Exception {
    Path kept = dir.resolve("sns").resolve("t-orders-events-retries.jsonl");
    QueueRef queue = queue();
    try (SpanLog spans = new SpanLog(dir.resolve("before"));
        DomainTopic before = topic(spans, queueUnavailable(), new DeliveryCounts(), new LocalClock(1), queue)) {
      assertThat(before.keepRetriesIn(kept)).isZero();
      before.publish(event("ord_restart"), null);
      before.close();
      assertThat(before.keptAtStop()).isOne();

      assertThat(hops(spans, "delivery failed, to subscription DLQ")).as("kept, not parked").isEmpty();
    }
    assertThat(java.nio.file.Files.readAllLines(kept)).singleElement().satisfies(line -> {
      assertThat(line).contains("evt_ord_restart").contains("\"consumer\":\"" + CONSUMER + "\"");
      assertThat(com.example.fanout.event.EventJson.parse(line).path("retry").asInt()).as("past the immediate retries").isGreaterThan(3);
    });

    DeliveryCounts counts = new DeliveryCounts();
    try (SpanLog spans = new SpanLog(dir.resolve("after"));
        DomainTopic after = topic(spans, FaultPlan.none(), counts, new LocalClock(1), queue)) {
      assertThat(after.keepRetriesIn(kept)).isOne();

      Eventually.await(TIMEOUT, () -> spans.all().stream().anyMatch(s -> s.name().startsWith("delivered to queue")), "the kept retry delivered");
      assertThat(counts.notificationsDelivered()).isOne();
      assertThat(receive(queue.url())).singleElement().satisfies(m -> assertThat(m.body()).contains("evt_ord_restart"));
      assertThat(spans.all()).filteredOn(s -> s.name().startsWith("delivered to queue (retry ")).singleElement()
          .satisfies(s -> assertThat(s.correlationId()).isEqualTo("ord_restart"));
      assertThat(kept).doesNotExist();
    }
    assertThat(receive(queue.dlqUrl())).isEmpty();
  }

  @Test
  void retryRunningAtTheStop_shouldBeKeptInTheFile_whenItFailsAgain() throws Exception {
    Path kept = dir.resolve("sns").resolve("t-orders-events-retries.jsonl");
    HeldOutage outage = new HeldOutage();
    DeliveryCounts counts = new DeliveryCounts();
    try (SpanLog spans = new SpanLog(dir)) {
      DomainTopic topic = new DomainTopic("t-orders-events", outage, spans, FaultPlan.none(), counts, new LocalClock(1));
      topic.subscribe(new QueueSubscription(CONSUMER, queue(), FilterPolicies.policyFor(List.of("OrderPlaced"), null)));
      topic.keepRetriesIn(kept);
      topic.publish(event("ord_mid_retry"), null);
      outage.holdNextSend();
      assertThat(outage.held.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the first delayed retry under way").isTrue();

      Thread stopping = Thread.ofPlatform().start(topic::close);
      Eventually.await(TIMEOUT, () -> stopping.getState() == Thread.State.TIMED_WAITING, "the stop waiting for the retry under way");
      outage.release.countDown();
      stopping.join(TIMEOUT.toMillis());

      assertThat(counts.notificationsFailed()).as("parked in the DLQ").isZero();
      assertThat(outage.sentToDlq).hasValue(0);
    }
    assertThat(java.nio.file.Files.readAllLines(kept)).singleElement().satisfies(line ->
        assertThat(com.example.fanout.event.EventJson.parse(line).path("retry").asInt()).as("the retry after the one under way").isEqualTo(5));
  }

  @Test
  void unreachableQueue_shouldBeRetried_becauseNoAnswerIsTheQueuesSide() throws Exception {
    QueueRef queue = queue();
    try (SqsClient unreachable = AwsClients.sqs(URI.create("http://127.0.0.1:" + closedPort()));
        SpanLog spans = new SpanLog(dir)) {
      DomainTopic topic = new DomainTopic("t-orders-events", unreachable, spans, FaultPlan.none(), new DeliveryCounts(), new LocalClock(1));
      topic.subscribe(new QueueSubscription(CONSUMER, queue, FilterPolicies.policyFor(List.of("OrderPlaced"), null)));

      topic.publish(event("ord_unreachable"), null);

      assertThat(hops(spans, "delivery failed, retrying")).singleElement()
          .satisfies(s -> assertThat(s.detail()).contains("Unable to execute HTTP request"));
      assertThat(hops(spans, "delivery failed, to subscription DLQ")).as("not parked while SNS retries").isEmpty();
    }
  }

  /** A fault plan under which the consumer's queue answers every delivery with a 500, until the test lifts it. */
  private static FaultPlan queueUnavailable() {
    return FaultPlan.builder().parse(CONSUMER + ":unavailable=1").build();
  }

  private DomainTopic topic(SpanLog spans, FaultPlan faults, DeliveryCounts counts, LocalClock clock, QueueRef queue) {
    DomainTopic topic = new DomainTopic("t-orders-events", SQS.client(), spans, faults, counts, clock);
    topic.subscribe(new QueueSubscription(CONSUMER, queue, FilterPolicies.policyFor(List.of("OrderPlaced"), null)));
    return topic;
  }

  private static QueueRef queue() {
    return new Queues(SQS.client()).createWithDlq("t-audit-orders-" + Long.toHexString(System.nanoTime()), new QueueSpec(30, 3));
  }

  private static String event(String correlationId) {
    return "{\"version\":\"0\",\"id\":\"eb-" + correlationId + "\",\"detail-type\":\"OrderPlaced\",\"source\":\"com.example.orders\","
        + "\"detail\":{\"id\":\"evt_" + correlationId + "\",\"type\":\"OrderPlaced\",\"correlationId\":\"" + correlationId + "\"}}";
  }

  private static List<Message> receive(String queueUrl) {
    return SQS.client().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
  }

  private static List<Message> awaitParked(QueueRef queue) {
    List<Message> found = new ArrayList<>();
    Eventually.await(TIMEOUT, () -> found.addAll(receive(queue.dlqUrl())) && !found.isEmpty(), "a message in " + queue.dlqName());
    return found;
  }

  private static List<Span> hops(SpanLog spans, String name) {
    return spans.all().stream().filter(s -> s.name().equals(name)).toList();
  }

  private static int retryOf(Span delivered) {
    String name = delivered.name();
    return Integer.parseInt(name.substring(name.indexOf("(retry ") + 7, name.length() - 1));
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * A queue in outage: every SendMessageBatch is answered with SQS's 500, and the one after
   * {@link #holdNextSend()} only once the test releases it. Sends to the DLQ are counted.
   */
  private static final class HeldOutage implements SqsClient {
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger sentToDlq = new AtomicInteger();
    private volatile boolean hold;

    void holdNextSend() {
      hold = true;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
      if (hold) {
        hold = false;
        held.countDown();
        try {
          release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      throw SqsException.builder().statusCode(500)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").errorMessage("the queue is unavailable").build()).build();
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
      sentToDlq.incrementAndGet();
      return SendMessageResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return SERVICE_NAME;
    }

    @Override
    public void close() {}
  }
}
