package com.example.fanout.metrics;

import com.example.fanout.contract.MetricNames;
import com.example.fanout.runtime.FunctionVariable;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * A consumer's metrics, written as one CloudWatch EMF document per invocation by Powertools
 * metrics, with the dimension {@code consumer} = {@code <service>.<consumer>}. Not thread-safe: one
 * batch is processed on one thread.
 */
public final class ConsumerMetrics {
  public static final String PROCESSED = MetricNames.EVENTS_PROCESSED;
  public static final String FAILED = MetricNames.EVENTS_FAILED;
  public static final String POISON = MetricNames.EVENTS_POISONED;
  public static final String DUPLICATE = MetricNames.EVENTS_DUPLICATE;
  public static final String EVENT_AGE = MetricNames.EVENT_AGE_AT_RECEIPT;
  public static final String HANDLER_LATENCY = MetricNames.HANDLER_LATENCY;
  public static final String DIMENSION = MetricNames.CONSUMER_DIMENSION;

  private final Metrics metrics;

  /** One instance per handler, not Powertools' singleton: the local runtime hosts many consumers in one JVM. */
  public ConsumerMetrics(String namespace, String consumer) {
    this.metrics = new EmfMetricsProvider().getMetricsInstance();
    metrics.setNamespace(namespace);
    metrics.setDefaultDimensions(DimensionSet.of(DIMENSION, consumer));
  }

  /** Namespace from {@code POWERTOOLS_METRICS_NAMESPACE}, {@link MetricNames#NAMESPACE} if unset. */
  public static ConsumerMetrics fromEnvironment(String consumer) {
    return new ConsumerMetrics(FunctionVariable.POWERTOOLS_METRICS_NAMESPACE.read().orElseThrow(), consumer);
  }

  public void processed() {
    metrics.addMetric(PROCESSED, 1, MetricUnit.COUNT);
  }

  public void failed() {
    metrics.addMetric(FAILED, 1, MetricUnit.COUNT);
  }

  public void poison() {
    metrics.addMetric(POISON, 1, MetricUnit.COUNT);
  }

  public void duplicate() {
    metrics.addMetric(DUPLICATE, 1, MetricUnit.COUNT);
  }

  /** Time from the event's {@code occurredAt} to its receipt here: end-to-end lag of the chain. */
  public void eventAge(Duration age) {
    metrics.addMetric(EVENT_AGE, Math.max(0, age.toMillis()), MetricUnit.MILLISECONDS);
  }

  public void handlerLatency(Duration latency) {
    metrics.addMetric(HANDLER_LATENCY, latency.toNanos() / 1_000_000.0, MetricUnit.MILLISECONDS);
  }

  /** Writes the EMF document of this invocation to stdout. */
  public void flush() {
    metrics.flush();
  }
}
