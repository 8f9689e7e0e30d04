package com.example.fanout.local.alarms;

import java.util.Map;

/**
 * One CloudWatch metric alarm as Terraform plans it ({@code aws_cloudwatch_metric_alarm}):
 * the metric, how it is aggregated per period, and when it breaches.
 */
public record AlarmDefinition(String name, String kind, String namespace, String metric, Map<String, String> dimensions,
    String statistic, int periodSeconds, int evaluationPeriods, int datapointsToAlarm, double threshold,
    String comparison, String treatMissingData) {

  public AlarmDefinition {
    dimensions = Map.copyOf(dimensions);
    if (periodSeconds <= 0 || evaluationPeriods <= 0 || datapointsToAlarm <= 0 || datapointsToAlarm > evaluationPeriods) {
      throw new IllegalArgumentException(name + ": period, evaluation periods and datapoints to alarm must be positive,"
          + " datapoints at most the evaluation periods");
    }
  }

  public MetricKey metricKey() {
    return new MetricKey(namespace, metric, dimensions);
  }

  /** {@code runbooks/<kind>.md}. */
  public String runbook() {
    return "runbooks/" + kind + ".md";
  }

  boolean breaches(double value) {
    return switch (comparison) {
      case "GreaterThanThreshold" -> value > threshold;
      case "GreaterThanOrEqualToThreshold" -> value >= threshold;
      case "LessThanThreshold" -> value < threshold;
      case "LessThanOrEqualToThreshold" -> value <= threshold;
      default -> throw new IllegalStateException(name + ": comparison " + comparison + " is not supported locally");
    };
  }
}
