package com.example.fanout.local.alarms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Evaluates alarms as CloudWatch does: at the end of each period (periods aligned to the epoch, on
 * the local clock), the last {@code evaluationPeriods} periods, each reduced to one datapoint by the statistic; {@code datapointsToAlarm} of
 * them breaching means ALARM. A period without data counts per {@code treatMissingData}:
 * {@code notBreaching} (good), {@code breaching} (bad), {@code ignore} (the state stays), or
 * {@code missing} (INSUFFICIENT_DATA when every period is empty). Alarms start in INSUFFICIENT_DATA.
 */
public final class AlarmEvaluator {
  private final MetricStore metrics;
  private final Map<String, Tracked> alarms = new LinkedHashMap<>();

  public AlarmEvaluator(MetricStore metrics, Collection<AlarmDefinition> definitions) {
    this.metrics = metrics;
    Instant now = metrics.now();
    for (AlarmDefinition d : definitions) {
      alarms.put(d.name(), new Tracked(d, AlarmState.INSUFFICIENT_DATA, now, "Unchecked: initial alarm creation"));
    }
  }

  private static final class Tracked {
    final AlarmDefinition definition;
    Instant lastEvaluated;
    AlarmState state;
    Instant since;
    String reason;

    Tracked(AlarmDefinition definition, AlarmState state, Instant since, String reason) {
      this.definition = definition;
      this.state = state;
      this.since = since;
      this.reason = reason;
    }
  }

  /**
   * Evaluates every alarm at each end of its period up to {@code now} not evaluated yet (a slow
   * caller on a fast clock misses none); returns the transitions, in time order per alarm.
   */
  public synchronized List<AlarmTransition> evaluate(Instant now) {
    List<AlarmTransition> out = new ArrayList<>();
    for (Tracked t : alarms.values()) {
      long period = t.definition.periodSeconds();
      Instant last = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), period) * period);
      Instant first = t.lastEvaluated == null ? last : t.lastEvaluated.plusSeconds(period);
      if (Duration.between(first, last).toSeconds() / period > MAX_CATCH_UP) {
        first = last.minusSeconds(period * MAX_CATCH_UP);
      }
      for (Instant end = first; !end.isAfter(last); end = end.plusSeconds(period)) {
        Result r = evaluate(t.definition, end);
        t.lastEvaluated = end;
        AlarmState next = r.state == null ? t.state : r.state;
        if (next != t.state) {
          out.add(new AlarmTransition(t.definition.name(), t.definition.kind(), t.state, next, end, r.reason,
              t.definition.runbook(), Instant.now()));
          t.state = next;
          t.since = end;
          t.reason = r.reason;
        }
      }
    }
    return out;
  }

  /** Periods evaluated at most in one call (after a pause of the caller). */
  private static final int MAX_CATCH_UP = 100;

  private record Result(AlarmState state, String reason) {}

  private Result evaluate(AlarmDefinition d, Instant now) {
    Duration period = Duration.ofSeconds(d.periodSeconds());
    List<OptionalDouble> datapoints = new ArrayList<>();
    for (int i = d.evaluationPeriods() - 1; i >= 0; i--) {
      Instant to = now.minus(period.multipliedBy(i));
      datapoints.add(aggregate(d.statistic(), metrics.values(d.metricKey(), to.minus(period), to)));
    }
    int breaching = 0;
    int present = 0;
    List<String> shown = new ArrayList<>();
    for (OptionalDouble p : datapoints) {
      if (p.isPresent()) {
        present++;
        shown.add(format(p.getAsDouble()));
        if (d.breaches(p.getAsDouble())) {
          breaching++;
        }
      } else {
        shown.add("-");
        if (d.treatMissingData().equals("breaching")) {
          breaching++;
        }
      }
    }
    if (present == 0) {
      switch (d.treatMissingData()) {
        case "ignore" -> {
          return new Result(null, null);
        }
        case "missing" -> {
          return new Result(AlarmState.INSUFFICIENT_DATA, "no datapoints in " + d.evaluationPeriods() + " period(s)");
        }
        default -> {
          // notBreaching / breaching: missing periods count as decided above
        }
      }
    }
    String reason = String.format(Locale.ROOT, "%s of %s %s over %d s: [%s] (%d of %d breaching %s %s, %d needed)",
        d.statistic(), d.namespace(), d.metric(), d.periodSeconds(), String.join(", ", shown), breaching,
        d.evaluationPeriods(), d.comparison(), format(d.threshold()), d.datapointsToAlarm());
    return new Result(breaching >= d.datapointsToAlarm() ? AlarmState.ALARM : AlarmState.OK, reason);
  }

  static OptionalDouble aggregate(String statistic, List<Double> values) {
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    return switch (statistic) {
      case "Sum" -> OptionalDouble.of(values.stream().mapToDouble(Double::doubleValue).sum());
      case "Maximum" -> values.stream().mapToDouble(Double::doubleValue).max();
      case "Minimum" -> values.stream().mapToDouble(Double::doubleValue).min();
      case "Average" -> values.stream().mapToDouble(Double::doubleValue).average();
      case "SampleCount" -> OptionalDouble.of(values.size());
      default -> throw new IllegalStateException("statistic " + statistic + " is not supported locally");
    };
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  public synchronized List<AlarmStatus> status() {
    List<AlarmStatus> out = new ArrayList<>();
    for (Tracked t : alarms.values()) {
      AlarmDefinition d = t.definition;
      out.add(new AlarmStatus(d.name(), d.kind(), t.state, t.since, t.reason, d.namespace(), d.metric(), d.dimensions(),
          d.statistic(), d.periodSeconds(), d.evaluationPeriods(), d.threshold(), d.comparison(), d.runbook()));
    }
    return out;
  }

  public Collection<AlarmDefinition> definitions() {
    return alarms.values().stream().map(t -> t.definition).toList();
  }
}
