package com.example.fanout.local.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
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
