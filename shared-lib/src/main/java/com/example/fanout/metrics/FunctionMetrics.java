package com.example.fanout.metrics;

import com.example.fanout.contract.MetricNames;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * The metrics of a function that is not an SQS consumer (HTTP API, stream relay, schedule, bucket
 * handler), written as one CloudWatch EMF document per invocation by Powertools metrics with the
 * dimension {@code function} = {@code <service>.<function>}; names as the consumers' ({@link MetricNames#FUNCTION_METRICS}).
 * Lambda runs one invocation at a time per instance; {@link #invocation} serialises hosts that do not.
 */
public final class FunctionMetrics {
  private final Metrics metrics;

  /** One instance per handler, not Powertools' singleton: the local runtime hosts many functions in one JVM. */
  public FunctionMetrics(String namespace, String function) {
    this.metrics = new EmfMetricsProvider().getMetricsInstance();
    metrics.setNamespace(namespace);
    metrics.setDefaultDimensions(DimensionSet.of(MetricNames.FUNCTION_DIMENSION, function));
  }

  /** Writes one invocation's document: {@code processed} and {@code failed} items, and the time the handler took. */
  public synchronized void invocation(String trigger, int processed, int failed, Duration latency) {
    metrics.addMetadata(MetricNames.TRIGGER_PROPERTY, trigger);
    metrics.addMetric(MetricNames.EVENTS_PROCESSED, processed, MetricUnit.COUNT);
    metrics.addMetric(MetricNames.EVENTS_FAILED, failed, MetricUnit.COUNT);
    metrics.addMetric(MetricNames.HANDLER_LATENCY, latency.toNanos() / 1_000_000.0, MetricUnit.MILLISECONDS);
    metrics.flush();
  }
}
