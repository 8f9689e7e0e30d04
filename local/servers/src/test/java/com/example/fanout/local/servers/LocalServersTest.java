package com.example.fanout.local.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class LocalServersTest {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  @Test
  void elasticMq_shouldRedriveToDlq_whenMaxReceiveCountIsExceeded() {
    try (ElasticMq sqsServer = ElasticMq.start(0);
         SqsClient sqs = SqsClient.builder().endpointOverride(sqsServer.endpoint()).region(Region.US_EAST_1)
             .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
      String dlqUrl = sqs.createQueue(b -> b.queueName("work-dlq")).queueUrl();
      String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      String url = sqs.createQueue(b -> b.queueName("work").attributes(Map.of(
          QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}",
          QueueAttributeName.VISIBILITY_TIMEOUT, "0"))).queueUrl();
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison"));

      assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).hasSize(1);
      assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
      assertThat(sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(2)).messages())
          .extracting(m -> m.body()).containsExactly("poison");
    }
  }

  /** SigV4's Authorization header is kept raw: no failed parse, retraced, per request (see ElasticMq's config). */
  @Test
  void elasticMq_shouldNotParseSignedRequestHeaders_whenServingSdkCalls() throws Exception {
    Path jfr = Files.createTempFile("elasticmq-headers", ".jfr");
    try (ElasticMq sqsServer = ElasticMq.start(0);
         SqsClient sqs = SqsClient.builder().endpointOverride(sqsServer.endpoint()).region(Region.US_EAST_1)
             .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
      String url = sqs.createQueue(b -> b.queueName("signed")).queueUrl();
      try (Recording recording = new Recording()) {
        recording.enable("jdk.JavaExceptionThrow").withStackTrace();
        recording.start();
        for (int i = 0; i < 20; i++) {
          sqs.sendMessage(b -> b.queueUrl(url).messageBody("m"));
        }
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()).hasSize(10);
        recording.stop();
        recording.dump(jfr);
      }
      long headerParseFailures = RecordingFile.readAllEvents(jfr).stream()
          .map(e -> e.getClass("thrownClass")).filter(c -> c != null && c.getName().startsWith("org.parboiled2.")).count();
      assertThat(headerParseFailures).as("header parse exceptions thrown by ElasticMQ's HTTP server").isZero();
    } finally {
      Files.deleteIfExists(jfr);
    }
  }

  @Test
  void dynalite_shouldRejectConditionalPut_whenItemExists() {
    try (Dynalite server = Dynalite.start();
         DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
             .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
      ddb.createTable(b -> b.tableName("things").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
          .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
      Map<String, AttributeValue> item = Map.of("id", AttributeValue.fromS("a"));
      ddb.putItem(b -> b.tableName("things").item(item).conditionExpression("attribute_not_exists(id)"));

      org.assertj.core.api.Assertions.assertThatThrownBy(() ->
              ddb.putItem(b -> b.tableName("things").item(item).conditionExpression("attribute_not_exists(id)")))
          .isInstanceOf(ConditionalCheckFailedException.class);
      assertThat(server.endpoint()).isNotEqualTo(URI.create("http://127.0.0.1:0"));
    }
  }
}
