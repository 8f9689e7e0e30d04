package com.example.fanout.contract;

import java.util.List;

/**
 * The platform's own CloudWatch metrics (EMF through Powertools): namespace, names and dimension
 * names. Terraform's alarms and dashboard read the same values from {@code terraform/contract.json}.
 */
public final class MetricNames {
  /** Every function's {@code POWERTOOLS_METRICS_NAMESPACE}. CloudWatch names are case-sensitive. */
  public static final String NAMESPACE = "Fanout";

  public static final String EVENTS_PROCESSED = "EventsProcessed";
  public static final String EVENTS_FAILED = "EventsFailed";
  public static final String EVENTS_POISONED = "EventsPoisoned";
  public static final String EVENTS_DUPLICATE = "EventsDuplicate";
  public static final String EVENT_AGE_AT_RECEIPT = "EventAgeAtReceipt";
  public static final String HANDLER_LATENCY = "HandlerLatency";
  /** Dimension of the consumer metrics: {@code <service>.<consumer>}. */
  public static final String CONSUMER_DIMENSION = "consumer";

  /** Orders with no progress past their deadline, from the saga watchdog; alarm {@code SagaStuck}. */
  public static final String SAGA_STUCK = "SagaStuck";
  /** Dimension of {@link #SAGA_STUCK}: the emitting service. */
  public static final String SERVICE_DIMENSION = "Service";

  public static final List<String> CONSUMER_METRICS = List.of(
      EVENTS_PROCESSED, EVENTS_FAILED, EVENTS_POISONED, EVENTS_DUPLICATE, EVENT_AGE_AT_RECEIPT, HANDLER_LATENCY);

  /**
   * Dimension of the metrics of the functions that are not SQS consumers (HTTP API, stream relay,
   * schedule, bucket handler): {@code <service>.<function>}.
   */
  public static final String FUNCTION_DIMENSION = "function";
  /** Not a dimension: a property of the EMF document naming the trigger ({@code http}, {@code stream}, ...). */
  public static final String TRIGGER_PROPERTY = "trigger";

  /** What those functions emit, named as the consumers name them: items handled, items failed, time in the handler. */
  public static final List<String> FUNCTION_METRICS = List.of(EVENTS_PROCESSED, EVENTS_FAILED, HANDLER_LATENCY);

  private MetricNames() {}
}
