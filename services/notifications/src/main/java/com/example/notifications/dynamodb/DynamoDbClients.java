package com.example.notifications.dynamodb;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The service's DynamoDB client: url-connection HTTP client; the endpoint comes from the standard
 * {@code AWS_ENDPOINT_URL} settings, which the local runtime sets.
 */
public final class DynamoDbClients {
  private DynamoDbClients() {}

  public static DynamoDbClient create() {
    return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }
}
