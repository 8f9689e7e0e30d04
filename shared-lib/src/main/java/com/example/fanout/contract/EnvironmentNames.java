package com.example.fanout.contract;

import java.util.List;
import java.util.Locale;

/**
 * Names of the variables a function's environment carries, set by Terraform in AWS and by the
 * local runtime on one machine; handlers read them through {@code FunctionEnvironment}.
 */
public final class EnvironmentNames {
  public static final String FANOUT_ENV = "FANOUT_ENV";
  public static final String FANOUT_SERVICE = "FANOUT_SERVICE";
  /** The consumer or trigger name of the manifest ({@code reserve-stock}). */
  public static final String FANOUT_FUNCTION = "FANOUT_FUNCTION";
  public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
  /** The manifest's {@code source}: what the service's events carry and its role may publish. */
  public static final String EVENT_SOURCE = "EVENT_SOURCE";
  public static final String IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE";
  public static final String POWERTOOLS_SERVICE_NAME = "POWERTOOLS_SERVICE_NAME";
  public static final String POWERTOOLS_METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
  public static final String POWERTOOLS_LOG_LEVEL = "POWERTOOLS_LOG_LEVEL";
  /** Consumers only: their dead-letter queue, where poison messages are moved at once. */
  public static final String DLQ_URL = "DLQ_URL";
  /** Where oversized payloads are kept, when the service uses claim checks. */
  public static final String CLAIM_CHECK_BUCKET = "CLAIM_CHECK_BUCKET";
  /** The function's tracer (ADR 0066); {@code otel} makes Terraform add the ADOT layer and its exec wrapper. */
  public static final String FANOUT_TRACER = "FANOUT_TRACER";
  /** Consumers only: how long their queue keeps a message (sizes the idempotency records' lifetime). */
  public static final String QUEUE_RETENTION_SECONDS = "QUEUE_RETENTION_SECONDS";
  /** Consumers only: how long their DLQ keeps a message. */
  public static final String DLQ_RETENTION_SECONDS = "DLQ_RETENTION_SECONDS";
  /** {@code TABLE_<NAME>}: physical name of a manifest table, NAME upper-cased with '-' as '_'. */
  public static final String TABLE_PREFIX = "TABLE_";
  /** {@code BUCKET_<NAME>}: physical name of a manifest bucket. */
  public static final String BUCKET_PREFIX = "BUCKET_";

  /** What every function of a service gets, whatever its trigger. */
  public static final List<String> EVERY_FUNCTION = List.of(FANOUT_ENV, FANOUT_SERVICE, FANOUT_FUNCTION, EVENT_BUS_NAME,
      EVENT_SOURCE, IDEMPOTENCY_TABLE, POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE);

  private EnvironmentNames() {}

  public static String table(String manifestTableName) {
    return TABLE_PREFIX + upperSnake(manifestTableName);
  }

  public static String bucket(String manifestBucketName) {
    return BUCKET_PREFIX + upperSnake(manifestBucketName);
  }

  public static String upperSnake(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
