package com.example.reporting.metrics;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.reporting.domain.StuckMetrics;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * {@code SagasStuck} (Count, dimension {@code service=reporting}) as one CloudWatch EMF document
 * per watchdog run, through Powertools metrics; namespace {@code POWERTOOLS_METRICS_NAMESPACE},
 * {@code fanout} if unset. An alarm on it pages when orders stop making progress.
 */
public final class PowertoolsStuckMetrics implements StuckMetrics {
  public static final String METRIC = "SagasStuck";

  private final Metrics metrics;

  public PowertoolsStuckMetrics(String namespace) {
    // Not Powertools' singleton: the local runtime hosts many functions in one JVM.
    this.metrics = new EmfMetricsProvider().getMetricsInstance();
    metrics.setNamespace(namespace);
    metrics.setDefaultDimensions(DimensionSet.of("service", "reporting"));
  }

  public static PowertoolsStuckMetrics fromEnvironment() {
    return new PowertoolsStuckMetrics(FunctionEnvironment.get("POWERTOOLS_METRICS_NAMESPACE").orElse("fanout"));
  }

  @Override
  public void sagasStuck(int count) {
    metrics.addMetric(METRIC, count, MetricUnit.COUNT);
    metrics.flush();
  }
}
