package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.example.fanout.local.alarms.AlarmState;
import com.example.fanout.local.alarms.MetricKey;
import com.example.fanout.local.alarms.MetricStore;
import com.example.fanout.local.testing.Recorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An on-failure destination that cannot be written (its queue deleted outside Terraform): the record
 * of the batch the stream mapping gave up on is lost and counted in Lambda's
 * {@code DestinationDeliveryFailures}, whose alarm fires, and the mapping goes on with the records after it.
 */
class LostDestinationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String ENV = "lost";
  private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  @Test
  void streamMapping_shouldGoOnWithTheNextRecords_whenItsOnFailureDestinationCannotBeWritten() {
    LocalPlatform platform = LocalPlatform.builder().servicesDir(OneService.copy("shop")).env(ENV).ports(Ports.FREE)
        .dataDir(Path.of("target/local-data-" + UUID.randomUUID())).clockSpeed(600).exportSdkProperties(false).build();
    try (platform) {
      Endpoints endpoints = platform.start();
      try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoints.sqs()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
              .httpClient(UrlConnectionHttpClient.create()).build();
          DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(endpoints.dynamoDb()).region(Region.US_EAST_1)
              .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
        String dlq = sqs.getQueueUrl(r -> r.queueName(ENV + "-shop-order-stream-dlq")).queueUrl();
        sqs.deleteQueue(r -> r.queueUrl(dlq));
        String poison = "poison-" + UUID.randomUUID();
        String after = "after-" + UUID.randomUUID();
        ddb.putItem(r -> r.tableName(ENV + "-shop-orders").item(Map.of("pk", AttributeValue.fromS(poison), "fail_always", AttributeValue.fromS("1"))));

        Eventually.await(TIMEOUT, () -> platform.streamFeed("shop-order-stream").orElseThrow().dropped() == 1,
            "the mapping gave up on the poison record");
        MetricStore metrics = platform.alarms().metrics();
        MetricKey failures = new MetricKey("AWS/Lambda", "DestinationDeliveryFailures", Map.of("FunctionName", ENV + "-shop-order-stream"));
        Eventually.await(TIMEOUT, () -> metrics.values(failures, Instant.EPOCH, metrics.now().plusSeconds(1)).stream()
            .mapToDouble(Double::doubleValue).sum() == 1, "the lost record counted once in DestinationDeliveryFailures");
        ddb.putItem(r -> r.tableName(ENV + "-shop-orders").item(Map.of("pk", AttributeValue.fromS(after))));

        Eventually.await(TIMEOUT, () -> Recorder.received("shop-order-stream", DynamodbEvent.DynamodbStreamRecord.class).stream()
            .anyMatch(rec -> after.equals(rec.getDynamodb().getKeys().get("pk").getS())), "the record after it, handled");

        String alarm = ENV + "-shop-order-stream-DestinationDeliveryFailures";
        Eventually.await(TIMEOUT, () -> platform.alarms().transitions().stream()
            .anyMatch(t -> t.alarm().equals(alarm) && t.to() == AlarmState.ALARM), alarm + " in ALARM");
      }
    }
  }
}
