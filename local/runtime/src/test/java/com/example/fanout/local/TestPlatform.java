package com.example.fanout.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One platform for the whole test run (start-up is the expensive part), built from the test
 * catalog, on a clock 600 times faster, with one fault per chaos consumer; plus unchanged SDK
 * clients pointed at it.
 */
public final class TestPlatform {
  public static final String ENV = "t";
  public static final double CLOCK_SPEED = 600;
  public static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private static LocalPlatform platform;
  private static Endpoints endpoints;
  private static long startMillis;

  private TestPlatform() {}

  /**
   * Closes the platform when the whole test run ends (JUnit closes root-store values then), before
   * the JVM shuts down: stopping ElasticMQ from a JVM shutdown hook races Pekko's own hook.
   */
  public static final class Lifecycle implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(LocalPlatform.class, k -> TestPlatform.get(), LocalPlatform.class);
    }
  }

  public static synchronized LocalPlatform get() {
    if (platform == null) {
      long t0 = System.nanoTime();
      platform = LocalPlatform.builder()
          .servicesDir(Path.of("src/test/resources/services"))
          .env(ENV)
          .dataDir(Path.of("target/local-data-" + UUID.randomUUID()))
          .clockSpeed(CLOCK_SPEED)
          .faults(FaultPlan.builder()
              .parse("chaos-crash:crash=1")
              .parse("chaos-throttle:throttle=0.5")
              .parse("chaos-duplicate:duplicate=1")
              .parse("chaos-delay:delay=300ms")
              .parse("chaos-poison:poison=1")
              .build())
          .exportSdkProperties(false)
          .build();
      endpoints = platform.start();
      startMillis = (System.nanoTime() - t0) / 1_000_000;
    }
    return platform;
  }

  public static long startMillis() {
    get();
    return startMillis;
  }

  public static Endpoints endpoints() {
    get();
    return endpoints;
  }

  public static EventBridgeClient eventBridge() {
    return EventBridgeClient.builder().endpointOverride(endpoints().eventBridge()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  public static SqsClient sqs() {
    return SqsClient.builder().endpointOverride(endpoints().sqs()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  public static DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder().endpointOverride(endpoints().dynamoDb()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  public static S3Client s3() {
    return S3Client.builder().endpointOverride(endpoints().s3()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** {@code Bearer <token>} of the local issuer for {@code subject} with {@code scopes}, valid for an hour. */
  public static String bearer(String subject, String... scopes) {
    return "Bearer " + get().issuer().mint(subject, java.util.List.of(scopes), java.time.Duration.ofHours(1));
  }

  public static URI api(String path) {
    return endpoints().api().resolve(path);
  }
}
