package com.example.fanout.benchmarks;

import com.example.fanout.benchmarks.coldstart.AwsStub;
import com.example.fanout.runtime.KeepAliveConnections;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One AWS API call on a kept-alive connection: a DynamoDB {@code PutItem} (the idempotency claim's
 * shape) to the cold-start benchmark's loopback stub, through the url-connection client as the
 * functions build it ({@link KeepAliveConnections}) against the same client with the SDK's default
 * connections, which stream every body and so make the JDK check each reused connection with a
 * 1 ms read first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SdkCallBenchmark {
  private static final Map<String, AttributeValue> ITEM = Map.of("id", AttributeValue.fromS("OrderPlaced#evt_0001"),
      "status", AttributeValue.fromS("INPROGRESS"), "expiration", AttributeValue.fromN("1796400000"));

  private AwsStub stub;
  private DynamoDbClient sdkDefault;
  private DynamoDbClient keepAlive;

  @Setup
  public void setUp() throws IOException {
    stub = new AwsStub();
    sdkDefault = client(UrlConnectionHttpClient.create());
    keepAlive = client(KeepAliveConnections.httpClient());
  }

  private DynamoDbClient client(SdkHttpClient http) {
    return DynamoDbClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
        .httpClient(http).build();
  }

  @TearDown
  public void tearDown() {
    sdkDefault.close();
    keepAlive.close();
    stub.close();
  }

  @Benchmark
  public int baselineSdkDefaultConnections() {
    return putItem(sdkDefault);
  }

  @Benchmark
  public int keepAliveConnections() {
    return putItem(keepAlive);
  }

  private static int putItem(DynamoDbClient client) {
    return client.putItem(r -> r.tableName("bench-idempotency").item(ITEM).conditionExpression("attribute_not_exists(id)"))
        .sdkHttpResponse().statusCode();
  }
}
