package com.example.fanout.benchmarks.coldstart;

import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Run in a JVM of its own with {@link AwsStub#endpointEnvironment()} as its environment: one call
 * from each SDK client a function may hold, its endpoint left to the SDK to find in that
 * environment, as a function's is. An answer the client cannot read (the stub answers S3 in JSON)
 * is no matter: the call has reached a port by then.
 */
public final class SdkEndpointsProbe {
  private SdkEndpointsProbe() {}

  public static void main(String[] args) {
    SdkHttpClient http = UrlConnectionHttpClient.create();
    call(configure(DynamoDbClient.builder(), http).build(), DynamoDbClient::listTables);
    call(configure(EventBridgeClient.builder(), http).build(), c -> c.listEventBuses(r -> { }));
    call(configure(SqsClient.builder(), http).build(), SqsClient::listQueues);
    call(configure(SesV2Client.builder(), http).build(), c -> c.getAccount(r -> { }));
    call(configure(S3Client.builder(), http).build(), S3Client::listBuckets);
    http.close();
  }

  private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, SdkHttpClient http) {
    builder.region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("probe", "probe")));
    builder.httpClient(http);
    builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    return builder;
  }

  private static <C extends SdkClient> void call(C client, Consumer<C> call) {
    try (client) {
      call.accept(client);
    } catch (SdkException unreadable) {
      System.out.println(client.serviceName() + ": " + unreadable.getMessage());
    }
  }
}
