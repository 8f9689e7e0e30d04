package com.example.fanout.local.alarms;

import java.util.Map;

/**
 * Where a stand-in reports a metric the AWS service it emulates would publish to CloudWatch
 * ({@code AWS/Events FailedInvocations}, {@code AWS/SNS NumberOfNotificationsFailed}, ...). The
 * datapoint is stamped with the local clock.
 */
@FunctionalInterface
public interface MetricSink {
  MetricSink NONE = (namespace, metric, dimensions, value) -> {};

  void put(String namespace, String metric, Map<String, String> dimensions, double value);
}
