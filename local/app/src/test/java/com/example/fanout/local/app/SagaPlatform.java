package com.example.fanout.local.app;

import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.iam.IamMode;
import com.example.fanout.local.iam.IamSettings;
import com.example.fanout.local.servers.RepoPaths;
import com.example.inventory.dynamodb.StockSeeder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One platform with every reference service for the whole test run (start-up is the expensive
 * part): free ports, a clock 600 times faster (the 5-minute watchdog runs every 0.5 s, a retry
 * after a 120 s visibility timeout comes after 0.2 s), the app's local environment with the
 * watchdog's {@code STUCK_AFTER_MINUTES} at 0.1 (6 s), inventory, fulfillment and reporting tracing with
 * OpenTelemetry and the other services with the X-Ray SDK, the demo stock plus one sku per test.
 */
public final class SagaPlatform {
  public static final String ENV = "e2e";
  public static final double CLOCK_SPEED = 600;
  public static final String STUCK_AFTER_MINUTES = "0.1";
  /** Skus only the tests use, so each test knows its starting stock. */
  public static final Map<String, Long> TEST_STOCK = testStock();

  private static LocalPlatform platform;

  private SagaPlatform() {}

  private static Map<String, Long> testStock() {
    Map<String, Long> stock = new LinkedHashMap<>();
    stock.put("SKU-E2E-HAPPY", 100L);
    stock.put("SKU-E2E-DECLINE", 10L);
    stock.put("SKU-E2E-LIMITED", 50L);
    stock.put("SKU-E2E-IMPORT", 100L);
    stock.put("SKU-E2E-IDEMPOTENT", 100L);
    stock.put("SKU-E2E-STUCK", 10L);
    stock.put("SKU-E2E-TIMELINE", 10L);
    stock.put("SKU-E2E-TRACE", 10L);
    stock.put("SKU-E2E-RELAY", 10L);
    return stock;
  }

  /** Closes the platform when the whole test run ends (JUnit closes root-store values then). */
  public static final class Lifecycle implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(LocalPlatform.class, k -> SagaPlatform.get(), LocalPlatform.class);
    }
  }

  /** The app's local environment, with the watchdog's deadline in seconds. */
  public static com.example.fanout.local.LocalEnvironment localEnvironment() {
    return SagaApp.localEnvironment().with("reporting-saga-watchdog", "STUCK_AFTER_MINUTES", STUCK_AFTER_MINUTES);
  }

  public static synchronized LocalPlatform get() {
    if (platform == null) {
      // Both tracers in one saga: these services trace with OpenTelemetry (OTLP), the others with the X-Ray SDK.
      platform = start(localEnvironment()
          .with("inventory", "FANOUT_TRACER", "otel").with("fulfillment", "FANOUT_TRACER", "otel")
          .with("reporting", "FANOUT_TRACER", "otel"));
    }
    return platform;
  }

  /**
   * Starts a platform of its own with every reference service, {@code environment} and the stock; the
   * caller closes it. Handlers reach the endpoints through JVM-wide settings, so a test that starts one
   * runs in a JVM without the shared platform (its own surefire execution).
   */
  public static LocalPlatform start(com.example.fanout.local.LocalEnvironment environment) {
    Path root = RepoPaths.root();
    LocalPlatform started = LocalPlatform.builder()
        .servicesDir(root.resolve("services"))
        .env(ENV)
        .dataDir(Path.of("target/e2e-data-" + UUID.randomUUID()))
        .clockSpeed(CLOCK_SPEED)
        .localEnvironment(environment)
        .iam(IamSettings.of(IamMode.ENFORCE, root.resolve(IamSettings.DEFAULT_JSON)))
        .build();
    started.start();
    if (!started.warnings().isEmpty()) {
      started.close();
      throw new IllegalStateException("handlers not loaded: " + started.warnings());
    }
    SagaApp.seedStock(started, root.resolve(StockSeeder.DEFAULT_FILE));
    try (DynamoDbClient dynamo = SagaApp.dynamoDb(started)) {
      new StockSeeder(dynamo, SagaApp.stockTable(started)).seed(TEST_STOCK);
    }
    return started;
  }

  public static OrdersApi api() {
    return new OrdersApi(get().endpoints().api(), get().issuer());
  }

  /** {@code available} of a sku in the stock table. */
  public static long available(DynamoDbClient dynamo, String sku) {
    return Long.parseLong(dynamo.getItem(r -> r.tableName(ENV + "-inventory-stock").key(Map.of("sku", AttributeValue.fromS(sku)))
        .consistentRead(true)).item().get("available").n());
  }

  /** One item of a service's table by its partition key. */
  public static Optional<Map<String, AttributeValue>> item(DynamoDbClient dynamo, String serviceTable, String key, String value) {
    var response = dynamo.getItem(r -> r.tableName(ENV + "-" + serviceTable).key(Map.of(key, AttributeValue.fromS(value))).consistentRead(true));
    return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
  }

  /** Awaits a condition with a bounded poll: the tests' only way to wait for asynchronous delivery. */
  public static void await(Duration timeout, String what, Supplier<Boolean> condition) {
    if (!Boolean.TRUE.equals(poll(timeout, what, condition, Boolean.TRUE::equals))) {
      throw new AssertionError(what + " not met within " + timeout);
    }
  }

  /**
   * Reads {@code value} until {@code done} holds or the timeout passes, and returns the last value read
   * either way: for checks that assert on what a state lacks rather than fail on a bare timeout.
   */
  public static <T> T poll(Duration timeout, String what, Supplier<T> value, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T read = value.get();
      if (done.test(read) || System.nanoTime() > deadline) {
        return read;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
