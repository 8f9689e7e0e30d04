package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

class AwsClientsTest {
  @Test
  void onFirstUse_shouldBuildNothingUntilAsked_thenKeepTheOneItBuilt() {
    AtomicInteger builds = new AtomicInteger();
    Supplier<Object> client = AwsClients.onFirstUse(() -> {
      builds.incrementAndGet();
      return new Object();
    });
    assertThat(builds).hasValue(0);

    Object first = client.get();

    assertThat(client.get()).isSameAs(first);
    assertThat(builds).hasValue(1);
  }

  @Test
  void onFirstUse_shouldBuildOnce_whenThreadsAskAtTheSameTime() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    Supplier<Object> client = AwsClients.onFirstUse(() -> {
      builds.incrementAndGet();
      return new Object();
    });
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> answers = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        answers.add(threads.submit(() -> {
          start.await();
          return client.get();
        }));
      }
      start.countDown();
      Object first = answers.get(0).get();
      for (Future<Object> answer : answers) {
        assertThat(answer.get()).isSameAs(first);
      }
    }
    assertThat(builds).hasValue(1);
  }

  @Test
  void functionCredentials_shouldAnswerWithTheSystemPropertiesOfTheMoment_whenTheyChangeBetweenCalls() {
    String key = System.getProperty("aws.accessKeyId");
    String secret = System.getProperty("aws.secretAccessKey");
    try {
      System.setProperty("aws.accessKeyId", "AKIDFIRSTFUNCTION");
      System.setProperty("aws.secretAccessKey", "first-secret");
      assertThat(AwsClients.FUNCTION_CREDENTIALS.resolveCredentials()).extracting(AwsCredentials::accessKeyId).isEqualTo("AKIDFIRSTFUNCTION");

      // The local runtime's in-process functions each see their own key through these properties.
      System.setProperty("aws.accessKeyId", "AKIDSECONDFUNCTION");
      assertThat(AwsClients.FUNCTION_CREDENTIALS.resolveCredentials()).extracting(AwsCredentials::accessKeyId).isEqualTo("AKIDSECONDFUNCTION");
    } finally {
      restore("aws.accessKeyId", key);
      restore("aws.secretAccessKey", secret);
    }
  }

  @Test
  void heldBackDuringPriming_shouldBeTrueOnlyForTheClientsBuiltHere() {
    try (SqsClient function = new AwsClients(com.example.fanout.tracing.Tracer.none()).build(SqsClient.builder()
             .region(Region.US_EAST_1));
         SqsClient elsewhere = SqsClient.builder().region(Region.US_EAST_1)
             .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
      assertThat(AwsClients.heldBackDuringPriming(function)).isTrue();
      assertThat(AwsClients.heldBackDuringPriming(elsewhere)).as("a test's or a tool's: its calls would reach AWS").isFalse();
    }
  }

  @Test
  void dynamoDb_shouldUseTheFunctionsRegion_whenBuiltInAFunction() {
    try (DynamoDbClient client = FunctionEnvironment.with(Map.of("AWS_LAMBDA_FUNCTION_NAME", "dev-inventory-reserve-stock",
        "AWS_REGION", "eu-west-3"), () -> AwsClients.fromEnvironment().dynamoDb())) {
      assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
      assertThat(client.serviceClientConfiguration().credentialsProvider()).isSameAs(AwsClients.FUNCTION_CREDENTIALS);
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
