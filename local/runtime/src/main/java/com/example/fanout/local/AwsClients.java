package com.example.fanout.local;

import com.example.fanout.runtime.KeepAliveConnections;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The runtime's own SDK clients to its local servers: fixed credentials and region, short timeouts. */
public final class AwsClients {
  public static final Region REGION = Region.US_EAST_1;
  public static final String ACCOUNT = "000000000000";
  public static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  private AwsClients() {}

  public static SqsClient sqs(URI endpoint) {
    return SqsClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS)
        .httpClient(KeepAliveConnections.httpClient(Duration.ofSeconds(2), Duration.ofSeconds(30)))
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)))
        .build();
  }

  public static DynamoDbClient dynamoDb(URI endpoint) {
    return DynamoDbClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS)
        .httpClient(KeepAliveConnections.httpClient(Duration.ofSeconds(2), Duration.ofSeconds(10)))
        .build();
  }
}
