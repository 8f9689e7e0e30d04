package com.example.inventory.dynamodb;

import com.example.fanout.local.servers.Dynalite;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** A client on a dynalite server and tables keyed as in the manifest. */
final class DynaliteTables {
  private DynaliteTables() {}

  static DynamoDbClient client(Dynalite dynalite) {
    return DynamoDbClient.builder()
        .endpointOverride(dynalite.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static String create(DynamoDbClient dynamo, String table, String partitionKey) {
    dynamo.createTable(r -> r.tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName(partitionKey).attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build()));
    return table;
  }
}
