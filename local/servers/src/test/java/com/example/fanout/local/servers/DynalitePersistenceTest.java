package com.example.fanout.local.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Dynalite on a store directory: tables and items survive a stop and a start on the same directory. */
class DynalitePersistenceTest {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  private static final Map<String, AttributeValue> ITEM = Map.of(
      "pk", AttributeValue.fromS("order#1"),
      "sk", AttributeValue.fromN("1"),
      "status", AttributeValue.fromS("PLACED"),
      "lines", AttributeValue.fromL(java.util.List.of(AttributeValue.fromM(Map.of(
          "sku", AttributeValue.fromS("sku-9"), "quantity", AttributeValue.fromN("2"))))));

  @TempDir
  Path store;

  @Test
  void dynalite_shouldKeepTablesAndItems_whenRestartedOnItsStoreDirectory() {
    TableDescription before;
    try (Dynalite server = Dynalite.start(RepoPaths.root(), store); DynamoDbClient ddb = client(server)) {
      ddb.createTable(b -> b.tableName("orders").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(
              a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
              a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
              a -> a.attributeName("status").attributeType(ScalarAttributeType.S))
          .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
          .globalSecondaryIndexes(g -> g.indexName("by-status")
              .keySchema(k -> k.attributeName("status").keyType(KeyType.HASH))
              .projection(p -> p.projectionType(ProjectionType.ALL))));
      ddb.putItem(b -> b.tableName("orders").item(ITEM));
      before = ddb.describeTable(b -> b.tableName("orders")).table();
      assertThat(before.tableStatus()).isEqualTo(TableStatus.ACTIVE);
    }

    // At once: close() returned after the child released LevelDB's LOCK.
    try (Dynalite server = Dynalite.start(RepoPaths.root(), store); DynamoDbClient ddb = client(server)) {
      assertThat(ddb.listTables().tableNames()).containsExactly("orders");
      assertThat(ddb.describeTable(b -> b.tableName("orders")).table()).isEqualTo(before);
      assertThat(ddb.getItem(b -> b.tableName("orders").consistentRead(true)
          .key(Map.of("pk", ITEM.get("pk"), "sk", ITEM.get("sk")))).item()).isEqualTo(ITEM);
      assertThat(ddb.query(b -> b.tableName("orders").indexName("by-status")
          .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
          .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("PLACED")))).items()).containsExactly(ITEM);
    }
  }

  @Test
  void dynalite_shouldStartEmpty_whenStartedWithoutAStoreDirectory() {
    try (Dynalite server = Dynalite.start(RepoPaths.root(), store); DynamoDbClient ddb = client(server)) {
      ddb.createTable(b -> b.tableName("kept").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
          .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    }
    try (Dynalite server = Dynalite.start(RepoPaths.root()); DynamoDbClient ddb = client(server)) {
      assertThat(ddb.listTables().tableNames()).isEmpty();
    }
  }

  @Test
  void start_shouldFailClearly_whenAnotherDynaliteHoldsTheStoreDirectory() {
    try (Dynalite first = Dynalite.start(RepoPaths.root(), store)) {
      assertThatThrownBy(() -> Dynalite.start(RepoPaths.root(), store))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dynalite did not start on its store " + store.toAbsolutePath())
          .hasMessageContaining("cannot open its LevelDB")
          .hasMessageContaining("LOCK");
      assertThat(first.endpoint().getPort()).isPositive();
    }
  }

  private static DynamoDbClient client(Dynalite server) {
    return DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }
}
