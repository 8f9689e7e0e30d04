package com.example.fanout.local.alarms;

import java.util.Map;
import java.util.TreeMap;

/** A CloudWatch metric: namespace, name and dimensions (case-sensitive, as CloudWatch compares them). */
public record MetricKey(String namespace, String metric, Map<String, String> dimensions) {
  public MetricKey {
    dimensions = java.util.Collections.unmodifiableMap(new TreeMap<>(dimensions));
  }

  @Override
  public String toString() {
    return namespace + "/" + metric + dimensions;
  }
}
