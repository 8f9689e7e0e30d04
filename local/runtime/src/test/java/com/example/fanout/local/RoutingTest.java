package com.example.fanout.local;

import static com.example.fanout.local.Events.entry;
import static com.example.fanout.local.Events.newCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.local.observability.Span;
import com.example.fanout.local.testing.ReceivedMessage;
import com.example.fanout.local.testing.Recorder;
import com.example.fanout.tracing.TraceEntity;
import com.example.fanout.tracing.TraceHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@ExtendWith(TestPlatform.Lifecycle.class)
class RoutingTest {
  private static final String SHOP = "com.example.shop";
  private static final String BILLING = "com.example.billing";
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
  void putEvents_shouldReachOnlyTheConsumersWhosePatternAndFilterMatch_whenEventsArePublished() {
    String web = newCorrelationId();
    String mobile = newCorrelationId();
    String payment = newCorrelationId();
    PutEventsResponse response = events.putEvents(b -> b.entries(
        entry(SHOP, "OrderPlaced", web, Map.of("channel", "web")),
        entry(SHOP, "OrderPlaced", mobile, Map.of("channel", "mobile")),
        entry(BILLING, "PaymentTaken", payment, Map.of("amount", 12))));

    assertThat(response.failedEntryCount()).isZero();
    assertThat(response.entries()).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());
    Eventually.await(TestPlatform.TIMEOUT, () -> correlations("billing-audit").containsAll(List.of(web, mobile, payment)));
    Eventually.await(TestPlatform.TIMEOUT, () -> correlations("billing-charge").contains(web));

    List.of(web, mobile, payment).forEach(RoutingTest::awaitPublished);
    assertThat(deliveredQueues(web)).containsExactlyInAnyOrder("t-billing-charge", "t-billing-audit");
    assertThat(deliveredQueues(mobile)).containsExactly("t-billing-audit");
    assertThat(deliveredQueues(payment)).containsExactlyInAnyOrder("t-billing-audit", "t-billing-missing");
    assertThat(correlations("billing-charge")).doesNotContain(mobile, payment);
  }

  @Test
  void queue_shouldHoldTheMessage_whenTheConsumersHandlerIsNotOnTheClassPath() {
    String id = newCorrelationId();
    events.putEvents(b -> b.entries(entry(BILLING, "PaymentTaken", id, Map.of("amount", 1))));

    String url = TestPlatform.get().queue("billing-missing").url();
    Eventually.await(TestPlatform.TIMEOUT, () -> sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
        .messages().stream().anyMatch(m -> m.body().contains(id)));
    assertThat(TestPlatform.get().warnings()).anyMatch(w -> w.contains("com.example.absent.NoSuchHandler"));
    assertThat(TestPlatform.get().mapping("billing-missing")).isEmpty();
  }

  @Test
  void sqsMessage_shouldCarryTheTraceThroughTheBusAndTopicSegments_whenTheEntryHadATraceHeader() {
    String id = newCorrelationId();
    String header = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
    events.putEvents(b -> b.entries(entry(BILLING, "PaymentTaken", id, Map.of()).toBuilder().traceHeader(header).build()));

    String url = TestPlatform.get().queue("billing-missing").url();
    List<Message> found = new java.util.ArrayList<>();
    Eventually.await(TestPlatform.TIMEOUT, () -> {
      sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0)
          .messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER)).messages().stream()
          .filter(m -> m.body().contains(id)).forEach(found::add);
      return !found.isEmpty();
    });
    TraceHeader delivered = TraceHeader.parse(found.getFirst().attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER)).orElseThrow();
    assertThat(delivered.root()).isEqualTo("1-67891233-abcdef012345678912345678");
    assertThat(delivered.sampled()).isTrue();
    // Producer span <- EventBridge segment <- SNS segment, whose id is the message's parent.
    Map<String, TraceEntity> byId = new java.util.HashMap<>();
    TestPlatform.get().xray().store().trace(delivered.root()).forEach(e -> byId.put(e.id(), e));
    TraceEntity topic = byId.get(delivered.parent());
    assertThat(topic.origin()).isEqualTo("AWS::SNS");
    assertThat(topic.annotation("correlation_id")).isEqualTo(id);
    TraceEntity bus = byId.get(topic.parentId());
    assertThat(bus.origin()).isEqualTo("AWS::Events");
    assertThat(bus.parentId()).isEqualTo("53995c3f42cd8ad8");
  }

  @Test
  void putEvents_shouldReportPerEntryErrors_whenSomeEntriesAreInvalid() {
    String id = newCorrelationId();
    PutEventsResponse response = events.putEvents(b -> b.entries(
        entry(SHOP, "OrderPlaced", id, Map.of("channel", "web")),
        entry(SHOP, "OrderPlaced", id, Map.of()).toBuilder().detail("{not json").build(),
        entry(SHOP, "OrderPlaced", id, Map.of()).toBuilder().source(null).build(),
        entry(SHOP, "OrderPlaced", id, Map.of()).toBuilder().eventBusName("no-such-bus").build(),
        entry(SHOP, "OrderPlaced", id, Map.of()).toBuilder().source("aws.s3").build()));

    assertThat(response.failedEntryCount()).isEqualTo(4);
    List<PutEventsResultEntry> e = response.entries();
    assertThat(e.get(0).eventId()).isNotBlank();
    assertThat(e.get(0).errorCode()).isNull();
    assertThat(e.get(1).errorCode()).isEqualTo("MalformedDetail");
    assertThat(e.get(1).errorMessage()).isEqualTo("Detail is malformed.");
    assertThat(e.get(2).errorCode()).isEqualTo("InvalidArgument");
    assertThat(e.get(2).errorMessage()).isEqualTo("Parameter Source is not valid. Reason: Source is a required argument.");
    assertThat(e.get(3).errorCode()).isEqualTo("ResourceNotFoundException");
    assertThat(e.get(4).errorCode()).isEqualTo("NotAuthorizedForSourceException");
  }

  @Test
  void putEvents_shouldFailWithValidationException_whenTheRequestBreaksALimit() {
    List<PutEventsRequestEntry> eleven = java.util.stream.IntStream.range(0, 11)
        .mapToObj(i -> entry(SHOP, "OrderPlaced", newCorrelationId(), Map.of())).toList();
    assertThatThrownBy(() -> events.putEvents(b -> b.entries(eleven)))
        .isInstanceOfSatisfying(EventBridgeException.class, ex -> {
          assertThat(ex.statusCode()).isEqualTo(400);
          assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(ex.getMessage()).contains("Member must have length less than or equal to 10");
        });

    String big = "x".repeat(600_000);
    assertThatThrownBy(() -> events.putEvents(b -> b.entries(
        entry(SHOP, "OrderPlaced", newCorrelationId(), Map.of("pad", big)),
        entry(SHOP, "OrderPlaced", newCorrelationId(), Map.of("pad", big)))))
        .isInstanceOfSatisfying(EventBridgeException.class, ex ->
            assertThat(ex.getMessage()).contains("Total size of the entries in the request is over the limit."));
  }

  @Test
  void snsDelivery_shouldFailToTheRuleDlq_whenTheEventIsOverSnsMessageLimit() {
    String id = newCorrelationId();
    PutEventsResponse response = events.putEvents(b -> b.entries(
        entry(SHOP, "OrderPlaced", id, Map.of("channel", "web", "pad", "x".repeat(300_000)))));

    assertThat(response.failedEntryCount()).as("EventBridge takes up to 1 MiB").isZero();
    String dlq = TestPlatform.get().ruleDlq("shop").url();
    List<Message> found = new java.util.ArrayList<>();
    Eventually.await(TestPlatform.TIMEOUT, () -> {
      sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0).messageAttributeNames("All"))
          .messages().stream().filter(m -> m.body().contains(id)).forEach(found::add);
      return !found.isEmpty();
    });
    assertThat(found.getFirst().messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("InvalidParameter");
    assertThat(found.getFirst().messageAttributes().get("ERROR_MESSAGE").stringValue()).isEqualTo("Invalid parameter: Message too long");
    assertThat(deliveredQueues(id)).isEmpty();
  }

  @Test
  void timeline_shouldShowEveryHopOfOneOrder_whenItWasDelivered() throws Exception {
    String id = newCorrelationId();
    events.putEvents(b -> b.entries(entry(SHOP, "OrderPlaced", id, Map.of("channel", "web"))));
    Eventually.await(TestPlatform.TIMEOUT, () -> TestPlatform.get().timeline().spans(id).stream()
        .filter(s -> s.name().equals("poller deleted")).count() == 2);

    List<String> hops = TestPlatform.get().timeline().spans(id).stream().map(Span::name).toList();
    assertThat(hops).contains("PutEvents accepted", "rule matched", "delivered to queue", "poller received",
        "handler t-billing-charge", "handler t-billing-audit", "poller deleted", "handle billing-audit");
    assertThat(hops.indexOf("PutEvents accepted")).isLessThan(hops.indexOf("poller deleted"));

    HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        TestPlatform.endpoints().control().resolve("/_local/timeline/" + id)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("timeline of correlation id " + id, "PutEvents accepted", "t-billing-charge");
  }

  @Test
  void replay_shouldDeliverArchivedEventsAgain_whenAskedByCorrelationId() throws Exception {
    String id = newCorrelationId();
    events.putEvents(b -> b.entries(entry(BILLING, "PaymentTaken", id, Map.of("amount", 3))));
    Eventually.await(TestPlatform.TIMEOUT, () -> correlations("billing-audit").contains(id));

    HttpResponse<String> replayed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(TestPlatform.endpoints().control() + "/_local/replay?correlationId=" + id))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(replayed.body()).isEqualTo("{\"replayed\":1}");
    Eventually.await(TestPlatform.TIMEOUT, () -> Recorder.received("billing-audit", ReceivedMessage.class).stream()
        .anyMatch(m -> id.equals(m.correlationId()) && m.event().has("replay-name")));
  }

  static List<String> correlations(String function) {
    return Recorder.received(function, ReceivedMessage.class).stream().map(ReceivedMessage::correlationId).toList();
  }

  /** SNS has finished every delivery of the event once EventBridge records the topic delivery. */
  static void awaitPublished(String correlationId) {
    Eventually.await(TestPlatform.TIMEOUT, () -> TestPlatform.get().spans().all().stream()
        .anyMatch(s -> correlationId.equals(s.correlationId()) && s.name().equals("delivered to topic")));
  }

  static List<String> deliveredQueues(String correlationId) {
    return TestPlatform.get().spans().all().stream()
        .filter(s -> correlationId.equals(s.correlationId()) && s.name().equals("delivered to queue"))
        .map(Span::detail).toList();
  }
}
