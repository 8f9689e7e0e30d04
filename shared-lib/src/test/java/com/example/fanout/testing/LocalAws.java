package com.example.fanout.testing;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** SDK clients for the local servers, the way a function builds them: static credentials, url-connection. */
public final class LocalAws {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  private LocalAws() {}

  public static SqsClient sqs(URI endpoint) {
    return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  public static DynamoDbClient dynamoDb(URI endpoint) {
    return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** A new queue with a unique name, so tests sharing a server never see each other's messages. */
  public static String newQueue(SqsClient sqs, String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    return sqs.createQueue(b -> b.queueName(name)).queueUrl();
  }

  /** Everything currently visible in the queue, with all message attributes. */
  public static java.util.List<Message> drain(SqsClient sqs, String queueUrl) {
    return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).messageAttributeNames("All")).messages();
  }

  /** An idempotency table as Terraform creates it: key {@code id}, TTL on {@code expiration}. */
  public static String newIdempotencyTable(DynamoDbClient ddb) {
    return createTable(ddb, "idempotency-" + UUID.randomUUID().toString().substring(0, 8), "id");
  }

  /** An on-demand table with a string partition key, as a manifest's {@code tables} entry declares it. */
  public static String createTable(DynamoDbClient ddb, String table, String partitionKey) {
    ddb.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
        .attributeDefinitions(AttributeDefinition.builder().attributeName(partitionKey).attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build()));
    awaitActive(ddb, table);
    return table;
  }

  /**
   * Waits with the SDK's own waiter until the table is ACTIVE: dynalite answers ResourceNotFound for a
   * table still CREATING, a window a loaded machine makes wide enough to hit.
   */
  public static void awaitActive(DynamoDbClient ddb, String table) {
    ddb.waiter().waitUntilTableExists(b -> b.tableName(table), w -> w
        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(20))).waitTimeout(Duration.ofSeconds(30)));
  }

  public static Map<String, String> none() {
    return Map.of();
  }
}
