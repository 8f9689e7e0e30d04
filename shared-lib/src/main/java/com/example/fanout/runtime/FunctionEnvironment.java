package com.example.fanout.runtime;

import com.example.fanout.contract.EnvironmentNames;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A function's configuration, as Terraform sets it in the Lambda environment. In AWS it is the
 * process environment; the local runtime hosts many functions in one JVM, so it constructs each
 * handler inside {@link #with} and the handler reads its own values here, never {@code System.getenv}.
 *
 * <p>Names (the contract between Terraform, the local runtime and the handlers; constants in
 * {@link EnvironmentNames}, which Terraform reads from {@code terraform/contract.json}):
 * <ul>
 *   <li>{@code FANOUT_ENV} ({@code dev}), {@code FANOUT_SERVICE} ({@code inventory}), {@code FANOUT_FUNCTION}
 *       (the consumer or trigger name, {@code reserve-stock});
 *   <li>{@code EVENT_BUS_NAME}: the platform bus; {@code EVENT_SOURCE}: the manifest's {@code source};
 *   <li>{@code IDEMPOTENCY_TABLE}: the service's idempotency table;
 *   <li>{@code TABLE_<NAME>} / {@code BUCKET_<NAME>}: physical name of each manifest table / bucket,
 *       NAME upper-cased with '-' as '_' ({@code TABLE_STOCK});
 *   <li>{@code DLQ_URL}: the consumer's dead-letter queue, where poison messages are moved at once;
 *   <li>{@code CLAIM_CHECK_BUCKET}: where oversized payloads are kept, if the service uses claim checks;
 *   <li>{@code POWERTOOLS_SERVICE_NAME}, {@code POWERTOOLS_METRICS_NAMESPACE}, {@code POWERTOOLS_LOG_LEVEL}: Powertools';
 *   <li>plus the manifest's {@code function.environment}.
 * </ul>
 * Endpoints are not configuration here: the AWS SDK reads {@code AWS_ENDPOINT_URL} (and the
 * per-service {@code AWS_ENDPOINT_URL_<SERVICE>}) itself.
 */
public final class FunctionEnvironment {
  private static final ThreadLocal<Map<String, String>> SCOPED = new ThreadLocal<>();

  private FunctionEnvironment() {}

  /** Runs {@code body} (typically a handler constructor) with {@code values} as its environment. */
  public static <T> T with(Map<String, String> values, Supplier<T> body) {
    return ThreadScoped.with(SCOPED, Map.copyOf(values), body);
  }

  /**
   * Whether the code runs as a function: {@code AWS_LAMBDA_FUNCTION_NAME} is set in Lambda and, for
   * each in-process function, in the local runtime; not in a test or a tool run by an operator.
   */
  public static boolean inFunction() {
    return get("AWS_LAMBDA_FUNCTION_NAME").isPresent();
  }

  public static Optional<String> get(String name) {
    Map<String, String> scoped = SCOPED.get();
    String value = scoped != null ? scoped.get(name) : System.getenv(name);
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  /**
   * The value set by the innermost {@link #with} on this thread, never the process environment: how
   * a host of several functions (the local runtime) tells which function is calling.
   */
  public static Optional<String> scoped(String name) {
    Map<String, String> scoped = SCOPED.get();
    return scoped == null ? Optional.empty() : Optional.ofNullable(scoped.get(name)).filter(v -> !v.isBlank());
  }

  /** The value, or an error naming the missing variable (a deployment mistake, found at cold start). */
  public static String require(String name) {
    return get(name).orElseThrow(() -> new IllegalStateException(
        "environment variable " + name + " is not set; Terraform (or the local runtime) sets it from the manifest"));
  }

  public static String table(String manifestTableName) {
    return require(EnvironmentNames.table(manifestTableName));
  }

  public static String bucket(String manifestBucketName) {
    return require(EnvironmentNames.bucket(manifestBucketName));
  }

  public static String upperSnake(String name) {
    return EnvironmentNames.upperSnake(name);
  }
}
