package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.testing.RecordingXRay;
import com.example.fanout.testing.StdoutCapture;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.Tracer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Invoke priming of a function that is not an SQS consumer (ADR 0120): its entry point, run by {@link FunctionRuntime#prime}. */
class FunctionRuntimePrimingTest {
  @Test
  void prime_shouldRunTheHandlersInvocations_withNothingReachingAwsStdoutOrTheFunctionsTracer() throws Exception {
    List<LoopbackEndpoint.Request> reachedAws = new CopyOnWriteArrayList<>();
    RecordingXRay xray = new RecordingXRay();
    FunctionRuntime runtime = new FunctionRuntime("orders", "api", 0, xray.tracer());
    AtomicInteger invoked = new AtomicInteger();
    try (LoopbackEndpoint aws = new LoopbackEndpoint(reachedAws::add);
         DynamoDbClient orders = new AwsClients(Tracer.none()).build(DynamoDbClient.builder().endpointOverride(aws.endpoint())
             .region(Region.US_EAST_1)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))))) {
      Runnable request = () -> runtime.invoke(new TestLambdaContext("dev-orders-api"), "http", "req-1", () -> {
        invoked.incrementAndGet();
        return orders.getItem(r -> r.tableName("orders").key(Map.of("id", AttributeValue.fromS("ord_12345678"))));
      });
      runtime.primeInvocations(contexts -> {
        for (int i = 0; i < 10; i++) {
          runtime.invoke(contexts.apply(i), "http", "prime-" + i, () -> {
            invoked.incrementAndGet();
            return orders.getItem(r -> r.tableName("orders").key(Map.of("id", AttributeValue.fromS("ord_12345678"))));
          });
        }
        return 0;
      });

      List<JsonNode> printed;
      try (StdoutCapture stdout = new StdoutCapture()) {
        runtime.prime();
        printed = stdout.jsonLines();
      }

      assertThat(invoked).hasValue(10);
      assertThat(reachedAws).as("requests that left for AWS").isEmpty();
      assertThat(printed).as("log lines and metrics documents printed").isEmpty();
      assertThat(xray.sent()).as("what the function's X-Ray recorder sent").isEmpty();

      // The control: a real invocation reaches all three.
      try (StdoutCapture stdout = new StdoutCapture()) {
        request.run();
        printed = stdout.jsonLines();
      }
      assertThat(reachedAws).extracting(LoopbackEndpoint.Request::target).containsExactly("DynamoDB_20120810.GetItem");
      assertThat(printed).anyMatch(line -> line.has("_aws")).anyMatch(line -> line.has("message"));
      assertThat(xray.sent()).extracting(RecordingXRay.Sent::name).contains("orders.api http");
    }
  }
}
