package com.example.fanout.local.app;

import static com.example.fanout.local.app.SagaPlatform.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.contract.ResourceNames;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.app.OrdersApi.Line;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The outbox relay gives up on a batch (every invocation times out): the stream mapping describes
 * the records in the relay's on-failure DLQ, the order waits at PLACED, and once the fault is gone
 * {@code fanout dlq redrive orders-outbox-relay} reads the records back through the Streams API,
 * invokes the relay through Lambda's Invoke and the order completes its saga.
 */
@ExtendWith(SagaPlatform.Lifecycle.class)
class OutboxRelayRecoveryEndToEndTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(45);
  private static final String RELAY = "orders-outbox-relay";

  private static final String CUSTOMER = "cus_relay_" + UUID.randomUUID().toString().substring(0, 6);

  private static LocalPlatform platform;
  private static OrdersApi api;
  private static SqsClient sqs;
  private static DynamoDbStreamsClient streams;

  @BeforeAll
  static void start() {
    platform = SagaPlatform.get();
    api = SagaPlatform.api();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    sqs = SqsClient.builder().endpointOverride(platform.endpoints().sqs()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    streams = DynamoDbStreamsClient.builder().endpointOverride(platform.endpoints().dynamoDb()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterAll
  static void closeClients() {
    sqs.close();
    streams.close();
  }

  @Test
  void redrive_shouldCompleteTheOrder_whenTheRelayGaveUpOnItsStreamBatch() {
    String dlqUrl = sqs.getQueueUrl(b -> b.queueName(ResourceNames.dlq(SagaPlatform.ENV, "orders", "outbox-relay"))).queueUrl();
    platform.faults().setDeliveryFault(RELAY, FaultPlan.STREAM_TIMEOUT, 1);
    String orderId;
    try {
      orderId = place(new Line("SKU-E2E-RELAY", 1, 700));
      await(TIMEOUT, "the relay's batch description in its DLQ", () -> depth(dlqUrl) >= 1);
      assertThat(api.get(orderId).orElseThrow().path("status").asText()).isEqualTo("PLACED");
    } finally {
      platform.faults().setDeliveryFault(RELAY, FaultPlan.STREAM_TIMEOUT, 0);
    }
    JsonNode description = EventJson.parse(sqs.receiveMessage(b -> b.queueUrl(dlqUrl).visibilityTimeout(0)).messages()
        .getFirst().body());
    assertThat(description.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
    assertThat(description.path("DDBStreamBatchInfo").path("streamArn").asText()).contains(":table/e2e-orders-orders/stream/");

    String output = fanout("dlq", "redrive", RELAY);

    assertThat(output).contains("record(s) handled again").doesNotContain("stays in");
    await(TIMEOUT, orderId + " SHIPPED", () -> api.get(orderId).map(o -> o.path("status").asText()).orElse("").equals("SHIPPED"));
    await(TIMEOUT, "an empty relay DLQ", () -> depth(dlqUrl) == 0);
  }

  @Test
  void streamsApi_shouldServeTheTablesRecordsFromTheTrimHorizon_andRefuseAPositionBeforeIt() {
    String orderId = place(new Line("SKU-E2E-RELAY", 1, 700));
    String table = ResourceNames.table(SagaPlatform.ENV, "orders", "orders");
    String streamArn = streams.listStreams(b -> b.tableName(table)).streams().getFirst().streamArn();
    var shard = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().getFirst();

    String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    List<Record> records = new java.util.ArrayList<>();
    for (int page = 0; page < 100 && iterator != null; page++) {
      String current = iterator;
      var response = streams.getRecords(b -> b.shardIterator(current).limit(1000));
      if (response.records().isEmpty()) {
        break;
      }
      records.addAll(response.records());
      iterator = response.nextShardIterator();
    }

    assertThat(records).anySatisfy(r -> {
      assertThat(r.eventNameAsString()).isEqualTo("INSERT");
      assertThat(r.dynamodb().newImage().get("outbox").m()).isNotEmpty();
      assertThat(r.dynamodb().keys().get("pk").s()).contains(orderId);
    });
    assertThat(records).extracting(r -> new java.math.BigInteger(r.dynamodb().sequenceNumber())).isSorted();
    assertThatThrownBy(() -> streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber("1")))
        .isInstanceOf(TrimmedDataAccessException.class);
  }

  private static String place(Line line) {
    JsonNode body = OrdersApi.order(CUSTOMER, "ada@example.com", "web", "tok_visa_ok", List.of(line));
    OrdersApi.Answer answer = api.place(body, UUID.randomUUID().toString());
    assertThat(answer.status()).as("POST /orders: %s", answer.body()).isEqualTo(201);
    return answer.orderId();
  }

  private static int depth(String url) {
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static String fanout(String... args) {
    SagaApp.FanoutRun run = SagaApp.fanout(platform, args);
    assertThat(run.code()).as("fanout %s: %s", String.join(" ", args), run.output()).isZero();
    return run.output();
  }
}
