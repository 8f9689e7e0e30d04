package com.example.fanout.local.app;

import static com.example.fanout.local.app.SagaPlatform.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.contract.AlarmKind;
import com.example.fanout.contract.ResourceNames;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.alarms.AlarmState;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.app.OrdersApi.Line;
import com.example.fanout.local.lambda.SqsEventSourceMapping;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.ses.SentEmail;
import com.example.fanout.tracing.TraceEntity;
import com.example.orders.domain.OrderIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The reference order saga end to end: HTTP API, bus, topics, queues, every service's handlers, SES, S3. */
@ExtendWith(SagaPlatform.Lifecycle.class)
class OrderSagaEndToEndTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(45);

  private static LocalPlatform platform;
  private static OrdersApi api;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void start() {
    platform = SagaPlatform.get();
    api = SagaPlatform.api();
    dynamo = SagaApp.dynamoDb(platform);
  }

  @AfterAll
  static void closeClients() {
    dynamo.close();
  }

  @Test
  void happyPath_shouldShipTheOrder_andSendExactlyOneEmail() {
    String orderId = place(order("tok_visa_ok", new Line("SKU-E2E-HAPPY", 2, 1250)));

    JsonNode order = awaitStatus(orderId, "SHIPPED");
    await(TIMEOUT, "the shipping e-mail of " + orderId, () -> emailsFor(orderId).size() == 1);

    assertThat(order.path("statusHistory").findValuesAsText("status"))
        .containsExactly("PLACED", "RESERVED", "PAYMENT_AUTHORIZED", "SHIPPED");
    await(TIMEOUT, "NotificationSent of " + orderId, () -> archivedTypes(orderId).contains("NotificationSent"));
    assertThat(emailsFor(orderId)).singleElement().satisfies(e -> {
      assertThat(e.subject()).contains("is on its way");
      assertThat(e.to()).containsExactly("ada@example.com");
    });
    assertThat(SagaPlatform.available(dynamo, "SKU-E2E-HAPPY")).isEqualTo(98);
  }

  @Test
  void outOfStock_shouldRejectTheOrder_withNoPaymentRecordOrEvent() {
    String orderId = place(order("tok_visa_ok", new Line("SKU-SOLD-OUT", 1, 999)));

    awaitStatus(orderId, "REJECTED");
    await(TIMEOUT, "the out-of-stock e-mail of " + orderId, () -> emailsFor(orderId).size() == 1);
    await(TIMEOUT, "NotificationSent of " + orderId, () -> archivedTypes(orderId).contains("NotificationSent"));

    assertThat(archivedTypes(orderId)).contains("OrderPlaced", "OutOfStock", "NotificationSent")
        .doesNotContain("InventoryReserved", "PaymentAuthorized", "PaymentFailed");
    assertThat(SagaPlatform.item(dynamo, "payments-payments", "order_id", orderId)).isEmpty();
    assertThat(platform.timeline().spans(orderId)).extracting(Span::name).noneMatch(n -> n.startsWith("payments."));
  }

  @Test
  void paymentDeclined_shouldFailThePayment_andReleaseTheStock() {
    long before = SagaPlatform.available(dynamo, "SKU-E2E-DECLINE");
    String orderId = place(order("tok_decline", new Line("SKU-E2E-DECLINE", 3, 500)));

    JsonNode order = awaitStatus(orderId, "PAYMENT_FAILED");
    await(TIMEOUT, "InventoryReleased of " + orderId, () -> archivedTypes(orderId).contains("InventoryReleased"));

    assertThat(order.path("statusHistory").findValuesAsText("status")).containsExactly("PLACED", "RESERVED", "PAYMENT_FAILED");
    assertThat(SagaPlatform.available(dynamo, "SKU-E2E-DECLINE")).isEqualTo(before).isEqualTo(10);
    assertThat(SagaPlatform.item(dynamo, "inventory-reservations", "order_id", orderId).orElseThrow().get("status").s())
        .isEqualTo("RELEASED");
    assertThat(SagaPlatform.item(dynamo, "payments-payments", "order_id", orderId).orElseThrow().get("status").s())
        .isEqualTo("FAILED");
    await(TIMEOUT, "the payment-failed e-mail of " + orderId, () -> emailsFor(orderId).size() == 1);
  }

  @Test
  void insufficientFunds_shouldFailThePayment_withItsReason() {
    String orderId = place(order("tok_insufficient", new Line("SKU-E2E-DECLINE", 1, 500)));

    awaitStatus(orderId, "PAYMENT_FAILED");

    assertThat(SagaPlatform.item(dynamo, "payments-payments", "order_id", orderId).orElseThrow().get("reason").s())
        .isEqualTo("INSUFFICIENT_FUNDS");
  }

  @Test
  void duplicateSubmissions_shouldCreateOneOrder_withOneOrderPlacedInTheArchive() throws Exception {
    JsonNode body = order("tok_visa_ok", new Line("SKU-E2E-IDEMPOTENT", 1, 700));
    String key = UUID.randomUUID().toString();
    List<OrdersApi.Answer> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
      List<Future<OrdersApi.Answer>> futures = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        futures.add(pool.submit(() -> api.place(body, key)));
      }
      for (Future<OrdersApi.Answer> f : futures) {
        answers.add(f.get());
      }
    }
    OrdersApi.Answer again = api.place(body, key);

    assertThat(answers).extracting(OrdersApi.Answer::status).containsOnly(200, 201).containsOnlyOnce(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.replayed()).isTrue();
    String orderId = again.orderId();
    assertThat(answers).extracting(OrdersApi.Answer::orderId).containsOnly(orderId);
    awaitStatus(orderId, "SHIPPED");
    await(TIMEOUT, "NotificationSent of " + orderId, () -> archivedTypes(orderId).contains("NotificationSent"));
    assertThat(platform.archive().select(null, null, orderId))
        .filteredOn(a -> "OrderPlaced".equals(a.event().path("detail-type").asText())).hasSize(1);
    assertThat(SagaPlatform.available(dynamo, "SKU-E2E-IDEMPOTENT")).isEqualTo(99);
  }

  @Test
  void importFile_shouldPlaceTheGoodLines_andWriteARejectsFile() {
    String bucket = SagaPlatform.ENV + "-orders-imports-000000000000";
    String name = "e2e-" + UUID.randomUUID() + ".csv";
    String key = "incoming/" + name;
    String csv = String.join("\n",
        "customerId,customerEmail,sku,quantity,unitPriceCents,currency,paymentToken,orderRef",
        "cus_2001,grace@example.com,SKU-E2E-IMPORT,2,1250,EUR,tok_visa_ok,PO-1",
        "cus_2002,not-an-address,SKU-E2E-IMPORT,1,1250,EUR,tok_visa_ok,PO-2",
        "cus_2003,linus@example.com,SKU-E2E-IMPORT,1,799,EUR,tok_visa_ok,\"PO-3, rush\"",
        "cus_2004,ken@example.com,SKU-E2E-IMPORT,many,799,EUR,tok_visa_ok,PO-4",
        "");
    try (S3Client s3 = s3()) {
      s3.putObject(r -> r.bucket(bucket).key(key).contentType("text/csv"), RequestBody.fromString(csv, StandardCharsets.UTF_8));

      String summaryKey = "processed/" + name + ".summary.json";
      await(TIMEOUT, "the import summary " + summaryKey, () -> exists(s3, bucket, summaryKey));
      JsonNode summary = EventJson.parse(s3.getObjectAsBytes(r -> r.bucket(bucket).key(summaryKey)).asUtf8String());
      assertThat(summary.path("created").asInt()).isEqualTo(2);
      assertThat(summary.path("rejected").asInt()).isEqualTo(2);
      String rejects = s3.getObjectAsBytes(r -> r.bucket(bucket).key("rejects/" + name + ".rejects.jsonl")).asUtf8String();
      List<JsonNode> lines = rejects.lines().filter(l -> !l.isBlank()).map(EventJson::parse).toList();
      assertThat(lines).extracting(l -> l.path("line").asInt()).containsExactly(3, 5);
      assertThat(lines.get(0).path("errors").findValuesAsText("field")).contains("customerEmail");
      assertThat(lines.get(1).path("errors").findValuesAsText("field")).contains("quantity");
    }
    Map<Integer, String> customerOfLine = Map.of(2, "cus_2001", 4, "cus_2003");
    for (int line : new int[] {2, 4}) {
      String orderId = OrderIds.fromImportLine(bucket, key, line);
      JsonNode order = awaitStatus(orderId, customerOfLine.get(line), "SHIPPED");
      assertThat(order.path("channel").asText()).isEqualTo("import");
    }
    assertThat(SagaPlatform.available(dynamo, "SKU-E2E-IMPORT")).isEqualTo(97);
  }

  @Test
  void watchdog_shouldFlagTheOrderAsStuck_whileFulfillmentIsDisabled_andClearItOnceItShips() {
    SqsEventSourceMapping shipping = platform.mapping("fulfillment-ship-order").orElseThrow();
    String sagaStuckAlarm = ResourceNames.alarm(ResourceNames.service(platform.env(), "reporting"), AlarmKind.SAGA_STUCK.kind());
    shipping.pause();
    String orderId;
    try {
      orderId = place(order("tok_visa_ok", new Line("SKU-E2E-STUCK", 1, 4200)));
      awaitStatus(orderId, "PAYMENT_AUTHORIZED");
      // The watchdog judges from the ledger, which takes every event of every order and may lag behind
      // the other tests' orders: it can flag this order at an earlier step first, then again here.
      await(Duration.ofSeconds(60), "SagaStuck at PAYMENT_AUTHORIZED for " + orderId, () -> stuckAt(orderId, "PAYMENT_AUTHORIZED").isPresent());
      await(TIMEOUT, "the stuck flag of " + orderId, () -> api.get(orderId).orElseThrow().path("stuck").asBoolean());

      JsonNode stuck = stuckAt(orderId, "PAYMENT_AUTHORIZED").orElseThrow();
      assertThat(stuck.path("source").asText()).isEqualTo("com.example.reporting");
      assertThat(stuck.path("detail").path("data").path("lastEventType").asText()).isEqualTo("PaymentAuthorized");
      assertThat(api.get(orderId).orElseThrow().path("status").asText()).isEqualTo("PAYMENT_AUTHORIZED");
      // The watchdog's EMF metric reaches the alarm Terraform plans on it (same name, dimension, namespace).
      await(TIMEOUT, sagaStuckAlarm + " in ALARM", () -> platform.alarms().transitions().stream()
          .anyMatch(t -> t.alarm().equals(sagaStuckAlarm) && t.to() == AlarmState.ALARM));
    } finally {
      shipping.resume();
    }
    JsonNode shipped = awaitStatus(orderId, "SHIPPED");
    assertThat(shipped.path("stuck").asBoolean()).as("progress clears the flag").isFalse();
    await(Duration.ofSeconds(60), sagaStuckAlarm + " back to OK", () -> platform.alarms().status().stream()
        .anyMatch(a -> a.name().equals(sagaStuckAlarm) && a.state() == AlarmState.OK));
  }

  /** An alarm on a platform metric (namespace Fanout) that no function emits under its name and dimensions could never fire. */
  @Test
  void everyAlarmOnAPlatformMetric_shouldWatchAMetricSomeFunctionEmits() {
    List<String> custom = platform.alarms().definitions().stream().filter(d -> !d.namespace().startsWith("AWS/"))
        .map(d -> d.name() + " watches " + d.metricKey()).toList();
    assertThat(custom).as("alarms on platform metrics").isNotEmpty();
    try {
      await(TIMEOUT, "every platform metric an alarm watches emitted at least once", () -> notEmitted().isEmpty());
    } catch (AssertionError timedOut) {
      // named by the assertion below
    }
    assertThat(notEmitted()).as("alarms whose metric and dimensions no function emitted").isEmpty();
  }

  private List<String> notEmitted() {
    var emitted = platform.alarms().emitted();
    return platform.alarms().definitions().stream().filter(d -> !d.namespace().startsWith("AWS/"))
        .filter(d -> !emitted.contains(d.metricKey())).map(d -> d.name() + " watches " + d.metricKey()).toList();
  }

  @Test
  void timeline_shouldListEveryHopFromOrderPlacedToNotificationSent_withConsumerRuntimeSpans() throws Exception {
    String orderId = place(order("tok_visa_ok", new Line("SKU-E2E-TIMELINE", 1, 1500)));
    awaitStatus(orderId, "SHIPPED");
    await(TIMEOUT, "NotificationSent of " + orderId, () -> archivedTypes(orderId).contains("NotificationSent"));
    // The ledger is the last consumer of NotificationSent; its span closes the path.
    await(TIMEOUT, "the ledger's span of NotificationSent", () -> spanNames(orderId).contains("reporting.order-ledger NotificationSent"));

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(platform.endpoints().control() + "/_local/timeline/" + orderId + "?format=json")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode spans = EventJson.parse(response.body());
    List<String> names = new ArrayList<>();
    List<String> eventTypes = new ArrayList<>();
    spans.forEach(s -> {
      names.add(s.path("name").asText());
      eventTypes.add(s.path("eventType").asText());
    });

    assertThat(names).contains("POST /orders", "stream record delivered", "PutEvents accepted", "rule matched",
        "delivered to topic", "delivered to queue", "poller received", "poller deleted");
    assertThat(eventTypes).contains("OrderPlaced", "InventoryReserved", "PaymentAuthorized", "OrderShipped", "NotificationSent");
    assertThat(names).as("consumer-runtime spans, one per handled event").contains(
        "inventory.reserve-stock OrderPlaced",
        "payments.authorize-payment InventoryReserved",
        "fulfillment.ship-order PaymentAuthorized",
        "notifications.notify-customer OrderShipped",
        "orders.status-projection OrderShipped",
        "reporting.order-ledger NotificationSent");
    assertThat(names).contains("handler e2e-inventory-reserve-stock", "handler e2e-notifications-notify-customer");
    String text = platform.timeline().render(orderId);
    assertThat(text.indexOf("OrderPlaced")).isLessThan(text.indexOf("NotificationSent"));
  }

  /** The one-trace check with both tracers in one saga; the tests in {@code tracing} run it with each tracer alone. */
  @Test
  void trace_shouldBeOneTraceFromTheApiToTheEmail_withEveryHopParented_acrossBothTracers_andAfterADuplicateDelivery() {
    List<TraceEntity> trace = OrderTrace.placeAndCheck(platform, api, "SKU-E2E-TRACE");
    OrderTrace.assertTracedBy(trace, "fulfillment.ship-order PaymentAuthorized", "otel");
    OrderTrace.assertTracedBy(trace, "payments.authorize-payment InventoryReserved", "xray");
    assertThat(platform.xray().otlp().spansReceived()).isPositive();
  }

  // --- helpers -------------------------------------------------------------------------------

  private static JsonNode order(String token, Line... lines) {
    return OrdersApi.order("cus_" + UUID.randomUUID().toString().substring(0, 8), "ada@example.com", "web", token, List.of(lines));
  }

  private static String place(JsonNode body) {
    OrdersApi.Answer answer = api.place(body, UUID.randomUUID().toString());
    assertThat(answer.status()).as("POST /orders: %s", answer.body()).isEqualTo(201);
    return answer.orderId();
  }

  static JsonNode awaitStatus(String orderId, String status) {
    return awaitStatus(orderId, null, status);
  }

  /** @param customerId who reads the order; null: the customer who placed it through {@code api} */
  static JsonNode awaitStatus(String orderId, String customerId, String status) {
    AtomicInteger polls = new AtomicInteger();
    JsonNode[] last = new JsonNode[1];
    await(TIMEOUT, orderId + " " + status, () -> {
      polls.incrementAndGet();
      last[0] = (customerId == null ? api.get(orderId) : api.get(orderId, customerId)).orElse(null);
      String now = last[0] == null ? null : last[0].path("status").asText();
      if (now != null && OrdersApi.isTerminal(now) && !now.equals(status)) {
        throw new AssertionError(orderId + " ended " + now + ", expected " + status + ": " + last[0]);
      }
      return status.equals(now);
    });
    return last[0];
  }

  private static List<SentEmail> emailsFor(String orderId) {
    return platform.emails().stream().filter(e -> e.subject() != null && e.subject().contains(orderId)).toList();
  }

  /** The archived SagaStuck of an order that names {@code lastStatus} as where it stopped. */
  private static Optional<JsonNode> stuckAt(String orderId, String lastStatus) {
    return platform.archive().select(null, null, orderId).stream().<JsonNode>map(a -> a.event())
        .filter(e -> "SagaStuck".equals(e.path("detail-type").asText()))
        .filter(e -> lastStatus.equals(e.path("detail").path("data").path("lastStatus").asText())).findFirst();
  }

  private static List<String> archivedTypes(String orderId) {
    return platform.archive().select(null, null, orderId).stream().map(a -> a.event().path("detail-type").asText()).toList();
  }

  private static List<String> spanNames(String orderId) {
    return platform.timeline().spans(orderId).stream().map(Span::name).toList();
  }

  private static S3Client s3() {
    return S3Client.builder().endpointOverride(platform.endpoints().s3()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  private static boolean exists(S3Client s3, String bucket, String key) {
    return s3.listObjectsV2(r -> r.bucket(bucket).prefix(key)).contents().stream().anyMatch(o -> o.key().equals(key));
  }
}
