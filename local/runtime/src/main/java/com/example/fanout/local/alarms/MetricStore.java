package com.example.fanout.local.alarms;

import com.example.fanout.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local CloudWatch: datapoints by metric, stamped with the local clock, kept for
 * {@link #RETENTION} of local time (the longest alarm looks back 25 minutes).
 */
public final class MetricStore implements MetricSink {
  static final Duration RETENTION = Duration.ofHours(1);

  private final LocalClock clock;
  private final Map<MetricKey, Deque<Datapoint>> series = new ConcurrentHashMap<>();
  private final Set<MetricKey> gauges = ConcurrentHashMap.newKeySet();

  public MetricStore(LocalClock clock) {
    this.clock = clock;
  }

  public record Datapoint(Instant at, double value) {}

  @Override
  public void put(String namespace, String metric, Map<String, String> dimensions, double value) {
    put(new MetricKey(namespace, metric, dimensions), clock.now(), value);
  }

  /**
   * A sampled level (a queue's depth or age): its last sample holds until the next one, so a period
   * between two samples has that value, as CloudWatch's per-minute SQS metrics never miss a minute.
   */
  public void putGauge(String namespace, String metric, Map<String, String> dimensions, double value) {
    MetricKey key = new MetricKey(namespace, metric, dimensions);
    gauges.add(key);
    put(key, clock.now(), value);
  }

  public void put(MetricKey key, Instant at, double value) {
    Deque<Datapoint> points = series.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (points) {
      points.addLast(new Datapoint(at, value));
      Instant horizon = at.minus(RETENTION);
      while (!points.isEmpty() && points.peekFirst().at().isBefore(horizon)) {
        points.removeFirst();
      }
    }
  }

  /** Values with {@code from <= at < to}. */
  public List<Double> values(MetricKey key, Instant from, Instant to) {
    Deque<Datapoint> points = series.get(key);
    List<Double> out = new ArrayList<>();
    if (points == null) {
      return out;
    }
    synchronized (points) {
      Datapoint before = null;
      for (Datapoint p : points) {
        if (p.at().isBefore(from)) {
          before = p;
        } else if (p.at().isBefore(to)) {
          out.add(p.value());
        }
      }
      if (out.isEmpty() && before != null && gauges.contains(key)) {
        out.add(before.value());
      }
    }
    return out;
  }

  /** Every metric that has received a datapoint since start-up (or in the retention window). */
  public Set<MetricKey> keys() {
    return Set.copyOf(series.keySet());
  }

  public Instant now() {
    return clock.now();
  }
}
