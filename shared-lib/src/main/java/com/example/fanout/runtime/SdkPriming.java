package com.example.fanout.runtime;

import com.example.fanout.tracing.Tracer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * SnapStart priming of the AWS SDK with no network and no side effect: the calls every consumer makes
 * on its first record (the idempotency claim and completion, {@code PutEvents}) go through clients
 * built like the function's own ({@link AwsClients}: the same marshallers, signer, retry and protocol
 * code) whose HTTP client answers in process with an empty 200. What the snapshot keeps, the loaded
 * and JIT-compiled classes, is what the first real batch after a restore would otherwise pay for.
 * Untraced: before the snapshot there is no invocation to record under.
 */
public final class SdkPriming {
  private static final Logger LOG = LoggerFactory.getLogger(SdkPriming.class);
  private static final Map<String, AttributeValue> KEY = Map.of("id", AttributeValue.fromS("prime"));

  private SdkPriming() {}

  /**
   * Runs the dry calls {@code rounds} times and returns how many were answered; a failure is logged,
   * never thrown (priming must not stop a snapshot). Signed with placeholder credentials: the
   * function's own are neither needed nor kept in the snapshot.
   */
  public static int run(int rounds) {
    InProcessHttpClient http = new InProcessHttpClient();
    AwsClients clients = new AwsClients(Tracer.none(), http);
    Region region = Region.of(FunctionEnvironment.get("AWS_REGION").orElse("us-east-1"));
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
    try (DynamoDbClient dynamoDb = clients.build(DynamoDbClient.builder().region(region).credentialsProvider(credentials));
        EventBridgeClient eventBridge = clients.build(EventBridgeClient.builder().region(region).credentialsProvider(credentials))) {
      for (int i = 0; i < rounds; i++) {
        dynamoDb.putItem(r -> r.tableName("prime").item(KEY).conditionExpression("attribute_not_exists(id)"));
        dynamoDb.getItem(r -> r.tableName("prime").key(KEY).consistentRead(true));
        dynamoDb.updateItem(r -> r.tableName("prime").key(KEY).updateExpression("SET #s = :s")
            .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", AttributeValue.fromS("COMPLETED"))));
        eventBridge.putEvents(r -> r.entries(e -> e.eventBusName("prime").source("com.example.prime").detailType("Primed").detail("{}")));
      }
    } catch (RuntimeException e) {
      LOG.warn("SDK priming stopped early: {}", e.toString());
    }
    return http.answered.get();
  }

  /** Answers every request with 200 and {@code {}}, after reading its body as a real client would send it. */
  static final class InProcessHttpClient implements SdkHttpClient {
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    private final AtomicInteger answered = new AtomicInteger();

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
              in.transferTo(OutputStream.nullOutputStream());
            }
          }
          answered.incrementAndGet();
          return HttpExecuteResponse.builder()
              .response(SdkHttpResponse.builder().statusCode(200)
                  .putHeader("Content-Type", "application/x-amz-json-1.0")
                  .putHeader("Content-Length", Integer.toString(EMPTY_JSON.length)).build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(EMPTY_JSON)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public String clientName() {
      return "in-process-priming";
    }

    @Override
    public void close() {}
  }
}
