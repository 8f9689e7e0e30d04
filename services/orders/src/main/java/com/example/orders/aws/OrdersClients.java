package com.example.orders.aws;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.schema.EventSchemas;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SDK clients of the orders functions, built once per container with the url-connection HTTP
 * client. Endpoints are not configured here: the SDK reads {@code AWS_ENDPOINT_URL} itself, which is
 * how the local runtime points them at its stand-ins.
 */
public final class OrdersClients {
  private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
  private static volatile EventSchemas schemas;

  private OrdersClients() {}

  public static DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder().httpClient(HTTP).build();
  }

  public static S3Client s3() {
    return S3Client.builder().httpClient(HTTP).forcePathStyle(s3EndpointOverridden()).build();
  }

  /** Path-style addressing where S3 is a local stand-in on an overridden endpoint; virtual-hosted on AWS. */
  static boolean s3EndpointOverridden() {
    return System.getProperty("aws.endpointUrlS3") != null || System.getProperty("aws.endpointUrl") != null
        || FunctionEnvironment.get("AWS_ENDPOINT_URL_S3").isPresent() || FunctionEnvironment.get("AWS_ENDPOINT_URL").isPresent();
  }

  public static EventBridgeClient eventBridge() {
    return EventBridgeClient.builder().httpClient(HTTP).build();
  }

  /** The published schemas of every service, compiled lazily and shared. */
  public static EventSchemas schemas() {
    EventSchemas s = schemas;
    if (s == null) {
      synchronized (OrdersClients.class) {
        s = schemas;
        if (s == null) {
          schemas = s = new EventSchemas(Catalog.fromClasspath());
        }
      }
    }
    return s;
  }

  /** A publisher to the bus named by {@code EVENT_BUS_NAME}. */
  public static EventPublisher publisher() {
    return EventPublisher.builder()
        .client(eventBridge())
        .eventBusName(FunctionEnvironment.require("EVENT_BUS_NAME"))
        .schemas(schemas())
        .build();
  }
}
