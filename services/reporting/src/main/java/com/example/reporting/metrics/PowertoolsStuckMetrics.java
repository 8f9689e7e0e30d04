package com.example.reporting.metrics;

import com.example.fanout.contract.EnvironmentNames;
import com.example.fanout.contract.MetricNames;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.reporting.domain.StuckMetrics;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * {@code SagaStuck} (Count, dimension {@code Service=<service>}) as one CloudWatch EMF document
 * per watchdog run, through Powertools metrics; namespace {@code POWERTOOLS_METRICS_NAMESPACE},
 * {@code Fanout} if unset. The alarm {@code SagaStuck} on it pages when orders stop making progress;
 * both names come from {@link MetricNames}, which Terraform reads too.
 */
public final class PowertoolsStuckMetrics implements StuckMetrics {
  public static final String METRIC = MetricNames.SAGA_STUCK;

  private final Metrics metrics;

  public PowertoolsStuckMetrics(String namespace, String service) {
    // Not Powertools' singleton: the local runtime hosts many functions in one JVM.
    this.metrics = new EmfMetricsProvider().getMetricsInstance();
    metrics.setNamespace(namespace);
    metrics.setDefaultDimensions(DimensionSet.of(MetricNames.SERVICE_DIMENSION, service));
  }

  public static PowertoolsStuckMetrics fromEnvironment() {
    return new PowertoolsStuckMetrics(
        FunctionEnvironment.get(EnvironmentNames.POWERTOOLS_METRICS_NAMESPACE).orElse(MetricNames.NAMESPACE),
        FunctionEnvironment.require(EnvironmentNames.FANOUT_SERVICE));
  }

  @Override
  public void sagasStuck(int count) {
    metrics.addMetric(METRIC, count, MetricUnit.COUNT);
    metrics.flush();
  }
}
