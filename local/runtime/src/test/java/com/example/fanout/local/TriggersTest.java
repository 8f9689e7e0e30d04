package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.testing.Recorder;
import com.example.fanout.local.testing.RecordingScheduleHandler;
import com.example.fanout.local.testing.RecordingStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(TestPlatform.Lifecycle.class)
class TriggersTest {
  private static final String ORDERS = "t-shop-orders";
  private static DynamoDbClient dynamoDb;
  private static S3Client s3;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    TestPlatform.get();
    dynamoDb = TestPlatform.dynamoDb();
    s3 = TestPlatform.s3();
  }

  @AfterAll
  static void closeClients() {
    dynamoDb.close();
    s3.close();
  }

  @Test
  void streamFeed_shouldDeliverEveryChangeInOrderPerKey_withOldAndNewImages() {
    String a = "a-" + UUID.randomUUID();
    String b = "b-" + UUID.randomUUID();
    put(a, "1");
    put(b, "1");
    dynamoDb.updateItem(r -> r.tableName(ORDERS).key(Map.of("pk", s(a))).updateExpression("SET v = :v")
        .expressionAttributeValues(Map.of(":v", s("2"))));
    put(b, "2");
    put(b, "2");
    dynamoDb.deleteItem(r -> r.tableName(ORDERS).key(Map.of("pk", s(a))));
    put(b, "3");

    Eventually.await(TestPlatform.TIMEOUT, () -> records(a).size() == 3 && records(b).size() == 3);
    assertThat(records(a)).extracting(DynamodbEvent.DynamodbStreamRecord::getEventName).containsExactly("INSERT", "MODIFY", "REMOVE");
    assertThat(records(b)).extracting(r -> r.getDynamodb().getNewImage().get("v").getS()).as("the unchanged put emits nothing")
        .containsExactly("1", "2", "3");
    DynamodbEvent.DynamodbStreamRecord modify = records(a).get(1);
    assertThat(modify.getDynamodb().getOldImage().get("v").getS()).isEqualTo("1");
    assertThat(modify.getDynamodb().getNewImage().get("v").getS()).isEqualTo("2");
    assertThat(records(a).get(2).getDynamodb().getNewImage()).isNull();
    List<Long> sequence = records(a).stream().map(r -> Long.parseLong(r.getDynamodb().getSequenceNumber())).toList();
    assertThat(sequence).isSorted();
  }

  @Test
  void streamFeed_shouldBracketEveryWriteWithItsOwnImages_whenWritersRaceOnTheSameItems() throws Exception {
    List<String> keys = java.util.stream.IntStream.range(0, 4).mapToObj(i -> "race-" + i + "-" + UUID.randomUUID()).toList();
    int writers = 8;
    int rounds = 10;
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(writers)) {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int w = 0; w < writers; w++) {
        done.add(pool.submit(() -> {
          for (int r = 0; r < rounds; r++) {
            for (String key : keys) {
              dynamoDb.updateItem(u -> u.tableName(ORDERS).key(Map.of("pk", s(key))).updateExpression("ADD n :one")
                  .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
            }
          }
        }));
      }
      for (var f : done) {
        f.get();
      }
    }

    int writes = writers * rounds;
    Eventually.await(TestPlatform.TIMEOUT, () -> keys.stream().allMatch(k -> records(k).size() == writes));
    for (String key : keys) {
      List<DynamodbEvent.DynamodbStreamRecord> records = records(key);
      assertThat(records).extracting(r -> Integer.parseInt(r.getDynamodb().getNewImage().get("n").getN()))
          .as("%s: each write's new image, in stream order", key)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, writes).boxed().toList());
      assertThat(records).filteredOn(r -> r.getDynamodb().getOldImage() != null)
          .allSatisfy(r -> assertThat(Integer.parseInt(r.getDynamodb().getOldImage().get("n").getN()))
              .as("the old image is the item just before this write")
              .isEqualTo(Integer.parseInt(r.getDynamodb().getNewImage().get("n").getN()) - 1))
          .hasSize(writes - 1);
      assertThat(records).extracting(r -> Long.parseLong(r.getDynamodb().getSequenceNumber())).isSorted();
    }
  }

  @Test
  void streamFeed_shouldRetryFromTheFailedRecord_whenTheHandlerReportsABatchItemFailure() {
    String key = "c-" + UUID.randomUUID();
    String token = UUID.randomUUID().toString();
    put(key, "1");
    dynamoDb.putItem(r -> r.tableName(ORDERS).item(Map.of("pk", s(key), "v", s("2"), "fail_once", s(token))));
    put(key, "3");

    Eventually.await(TestPlatform.TIMEOUT, () -> records(key).size() == 3);
    assertThat(RecordingStreamHandler.FAILED_ONCE).contains(token);
    assertThat(records(key)).extracting(r -> r.getDynamodb().getNewImage().get("v").getS())
        .as("each change once, in order, the failed one after its retry").containsExactly("1", "2", "3");
  }

  @Test
  void schedule_shouldFireOnTheFastClock_whenItsRateElapses() {
    // rate(10 minutes) at 600x fires every second of real time.
    Eventually.await(TestPlatform.TIMEOUT, () -> Recorder.received("shop-tick", ScheduledEvent.class).size() >= 2);
    ScheduledEvent event = Recorder.received("shop-tick", ScheduledEvent.class).getFirst();
    assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
    assertThat(event.getSource()).isEqualTo("aws.scheduler");
    assertThat(event.getId()).as("the run's execution id").isNotBlank().doesNotContain("<");
    assertThat(event.getResources()).singleElement().asString().isEqualTo("arn:aws:scheduler:us-east-1:000000000000:schedule/t-shop-tick/t-shop-tick");
    assertThat(event.getTime()).as("the scheduled time, to the second").isNotNull();
    assertThat(event.getTime().getMillisOfSecond()).isZero();
    assertThat(event.getDetail()).isEmpty();
    assertThat(TestPlatform.get().scheduler().firedCount("t-shop-tick")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void httpRoute_shouldInvokeTheHandlerWithPathParameters_andAnswerWithItsResponse() throws Exception {
    String reader = TestPlatform.bearer("cus_1", "orders/read");
    HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(TestPlatform.api("/orders/ord_42")).header("Authorization", reader).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    var body = EventJson.parse(get.body());
    assertThat(body.get("id").asText()).isEqualTo("ord_42");
    assertThat(body.get("function").asText()).isEqualTo("t-shop-api");
    assertThat(body.get("remainingMillis").asInt()).isBetween(1, 5000);
    assertThat(body.get("sub").asText()).isEqualTo("cus_1");

    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(TestPlatform.api("/orders"))
        .header("Content-Type", "application/json").header("Authorization", TestPlatform.bearer("cus_1", "orders/write")).POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(201);
    assertThat(EventJson.parse(post.body()).get("received").asText()).isEqualTo("{\"sku\":\"x\"}");
    assertThat(EventJson.parse(post.body()).get("table").asText()).isEqualTo(ORDERS);

    assertThat(HTTP.send(HttpRequest.newBuilder(TestPlatform.api("/orders/unknown")).header("Authorization", reader).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    HttpResponse<String> unrouted = HTTP.send(HttpRequest.newBuilder(TestPlatform.api("/nothing")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unrouted.statusCode()).isEqualTo(404);
    assertThat(unrouted.body()).isEqualTo("{\"message\":\"Not Found\"}");
  }

  @Test
  void bucketNotification_shouldInvokeTheHandler_onlyForKeysMatchingPrefixAndSuffix() {
    String bucket = "t-shop-imports-000000000000";
    String wanted = "incoming/" + UUID.randomUUID() + ".csv";
    s3.putObject(r -> r.bucket(bucket).key("elsewhere/" + UUID.randomUUID() + ".csv"), RequestBody.fromString("a"));
    s3.putObject(r -> r.bucket(bucket).key("incoming/" + UUID.randomUUID() + ".txt"), RequestBody.fromString("b"));
    s3.putObject(r -> r.bucket(bucket).key(wanted), RequestBody.fromString("sku,qty\nx,1\n"));

    Eventually.await(TestPlatform.TIMEOUT, () -> Recorder.received("shop-imports", String.class).contains(wanted));
    assertThat(Recorder.received("shop-imports", String.class)).allMatch(k -> k.startsWith("incoming/") && k.endsWith(".csv"));
    assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key(wanted)).asUtf8String()).isEqualTo("sku,qty\nx,1\n");
    assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("incoming/")).contents()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void bucketNotification_shouldSendLambdasInvocationRecordToTheBucketsDlq_whenEveryAttemptFails() {
    String bucket = "t-shop-imports-000000000000";
    String key = "incoming/fail-" + UUID.randomUUID() + ".csv";
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("sku,qty\nx,1\n"));

    JsonNode record = awaitRecordIn("t-shop-imports-dlq", j -> j.at("/requestPayload/Records/0/s3/object/key").asText().equals(key));
    assertThat(Recorder.received("shop-imports", String.class)).as("three attempts, then the DLQ").filteredOn(key::equals).hasSize(3);
    assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetriesExhausted");
    assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
    assertThat(record.at("/requestContext/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:t-shop-imports:live");
    assertThat(record.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
    assertThat(record.at("/requestPayload/Records/0/eventName").asText()).isEqualTo("ObjectCreated:Put");
    assertThat(record.at("/requestPayload/Records/0/s3/bucket/name").asText()).isEqualTo(bucket);
    assertThat(record.at("/responsePayload/errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(record.at("/responsePayload/errorMessage").asText()).isEqualTo("cannot import " + key);
    assertThat(record.at("/responsePayload/stackTrace/0").asText()).contains("RecordingS3Handler");
  }

  @Test
  void schedule_shouldSendTheRecordOfARunThatFailedEveryAttemptToItsDlq() {
    RecordingScheduleHandler.FAILING.set(true);
    JsonNode record;
    try {
      record = awaitRecordIn("t-shop-tick-dlq", j -> j.at("/requestContext/condition").asText().equals("RetriesExhausted"));
    } finally {
      RecordingScheduleHandler.FAILING.set(false);
    }

    String runId = record.at("/requestPayload/id").asText();
    assertThat(Recorder.received("shop-tick", ScheduledEvent.class)).as("three attempts of the run, then the DLQ")
        .filteredOn(e -> runId.equals(e.getId())).hasSize(3);
    assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
    assertThat(record.at("/requestContext/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:t-shop-tick:live");
    assertThat(record.at("/requestPayload/detail-type").asText()).isEqualTo("Scheduled Event");
    assertThat(record.at("/requestPayload/resources/0").asText()).isEqualTo("arn:aws:scheduler:us-east-1:000000000000:schedule/t-shop-tick/t-shop-tick");
    assertThat(record.at("/responsePayload/errorMessage").asText()).isEqualTo("run " + runId + " failed (test)");
  }

  /** Takes the on-failure DLQ's records until one matches {@code wanted}; deletes what it reads. */
  private static JsonNode awaitRecordIn(String queue, java.util.function.Predicate<JsonNode> wanted) {
    try (SqsClient sqs = TestPlatform.sqs()) {
      String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
      List<JsonNode> records = new java.util.concurrent.CopyOnWriteArrayList<>();
      Eventually.await(TestPlatform.TIMEOUT, () -> {
        sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages().forEach(m -> {
          records.add(EventJson.parse(m.body()));
          sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        });
        return records.stream().anyMatch(wanted);
      }, "a record in " + queue);
      return records.stream().filter(wanted).findFirst().orElseThrow();
    }
  }

  @Test
  void s3_shouldServeADefaultClient_becauseTheSdkAddressesAnIpEndpointPathStyle() {
    String bucket = "t-shop-imports-000000000000";
    try (S3Client plain = S3Client.builder().endpointOverride(TestPlatform.endpoints().s3())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
      plain.putObject(r -> r.bucket(bucket).key("reports/plain.txt"), RequestBody.fromString("plain"));
      assertThat(plain.getObjectAsBytes(r -> r.bucket(bucket).key("reports/plain.txt")).asUtf8String()).isEqualTo("plain");
      assertThat(plain.headObject(r -> r.bucket(bucket).key("reports/plain.txt")).contentLength()).isEqualTo(5);
    }
  }

  @Test
  void ses_shouldKeepTheEmail_whenAFunctionSendsOneWithAnUnchangedClient() throws Exception {
    String subject = "Your order " + UUID.randomUUID() + " has shipped";
    try (var ses = software.amazon.awssdk.services.sesv2.SesV2Client.builder().endpointOverride(TestPlatform.endpoints().ses())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
      String id = ses.sendEmail(r -> r.fromEmailAddress("shop@example.com").destination(d -> d.toAddresses("ada@example.com"))
          .content(c -> c.simple(m -> m.subject(x -> x.data(subject)).body(b -> b.text(t -> t.data("On its way")))))).messageId();

      assertThat(id).isNotBlank();
    }
    assertThat(TestPlatform.get().emails()).anySatisfy(e -> {
      assertThat(e.subject()).isEqualTo(subject);
      assertThat(e.to()).containsExactly("ada@example.com");
      assertThat(e.body()).isEqualTo("On its way");
    });
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(TestPlatform.endpoints().control().resolve("/_local/emails")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains(subject);
  }

  private static void put(String key, String value) {
    dynamoDb.putItem(r -> r.tableName(ORDERS).item(Map.of("pk", s(key), "v", s(value))));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static List<DynamodbEvent.DynamodbStreamRecord> records(String key) {
    return Recorder.received("shop-order-stream", DynamodbEvent.DynamodbStreamRecord.class).stream()
        .filter(r -> key.equals(r.getDynamodb().getKeys().get("pk").getS())).toList();
  }
}
