package com.example.fanout.runtime;

import com.example.fanout.contract.MetricNames;
import com.example.fanout.contract.QueueRetention;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration variables the function runtime reads, each with its rule and documented default:
 * the one place that parses them (once, at init) and that the manifest loader asks about the values
 * a manifest sets. A bad value in the environment is logged as a warning and the default is used, as
 * Powertools does for its own variables; the same value in a manifest fails the manifest check.
 */
public enum FunctionVariable {
  /** Share of invocations logged at DEBUG (0 to 1). */
  POWERTOOLS_LOGGER_SAMPLE_RATE(Rule.DECIMAL, 0, 1, "0"),
  /** Root log level of the function. */
  POWERTOOLS_LOG_LEVEL(Rule.ONE_OF, 0, 0, "INFO", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"),
  /** EMF namespace of the function's metrics. */
  POWERTOOLS_METRICS_NAMESPACE(Rule.NAME, 1, 255, MetricNames.NAMESPACE),
  /** How long a COMPLETED idempotency record deduplicates its event; unset: derived from the queues' retention. */
  IDEMPOTENCY_EXPIRY_SECONDS(Rule.WHOLE, 60, 366L * 24 * 3600, ""),
  /** Longest time a message can wait in the consumer's queue (its retention). */
  QUEUE_RETENTION_SECONDS(Rule.WHOLE, 60, 1_209_600, Long.toString(QueueRetention.QUEUE_SECONDS)),
  /** Longest time a message can wait in the consumer's DLQ before a redrive. */
  DLQ_RETENTION_SECONDS(Rule.WHOLE, 60, 1_209_600, Long.toString(QueueRetention.DLQ_SECONDS)),
  /** Base of the visibility backoff of a failed record; unset: the queue's visibility timeout. */
  RETRY_BACKOFF_BASE_SECONDS(Rule.WHOLE, 1, 43_200, ""),
  /** Cap of that backoff. */
  RETRY_BACKOFF_MAX_SECONDS(Rule.WHOLE, 1, 43_200, "900"),
  /**
   * Tracer of the function (ADR 0006): {@code otel} needs the {@code tracing-otel} module; unset:
   * {@code xray} in Lambda, else {@code none}.
   */
  FANOUT_TRACER(Rule.ONE_OF, 0, 0, "", "xray", "otel", "none");

  private static final Logger LOG = LoggerFactory.getLogger(FunctionVariable.class);

  private enum Rule { DECIMAL, WHOLE, ONE_OF, NAME }

  private final Rule rule;
  private final double min;
  private final double max;
  private final String defaultValue;
  private final List<String> allowed;

  FunctionVariable(Rule rule, double min, double max, String defaultValue, String... allowed) {
    this.rule = rule;
    this.min = min;
    this.max = max;
    this.defaultValue = defaultValue;
    this.allowed = List.of(allowed);
  }

  /** The variable of that name, if the runtime reads it. */
  public static Optional<FunctionVariable> named(String name) {
    return Arrays.stream(values()).filter(v -> v.name().equals(name)).findFirst();
  }

  /** Why {@code value} is not acceptable for this variable, or empty if it is. */
  public Optional<String> problem(String value) {
    String v = value.trim();
    boolean ok = Pattern.compile(pattern()).matcher(v).matches()
        && (!ranged() || (new BigDecimal(v).compareTo(BigDecimal.valueOf(min)) >= 0 && new BigDecimal(v).compareTo(BigDecimal.valueOf(max)) <= 0));
    return ok ? Optional.empty() : Optional.of(name() + " " + rule() + ", was '" + value + "'");
  }

  /**
   * The regular expression the trimmed value must match, written so that Java and Terraform's RE2
   * read it alike: Terraform's plan-time validation applies it through {@code terraform/contract.json}.
   */
  public String pattern() {
    return switch (rule) {
      case DECIMAL -> "^[0-9]+(\\.[0-9]+)?$";
      case WHOLE -> "^[0-9]+$";
      case ONE_OF -> (allowed.stream().allMatch(a -> a.equals(a.toUpperCase(Locale.ROOT))) ? "^(?i)(" : "^(")
          + String.join("|", allowed) + ")$";
      case NAME -> "^[^ \\t\\n\\r\\f]{" + fmt(min) + "," + fmt(max) + "}$";
    };
  }

  /** Whether the value, once it matches {@link #pattern()}, must also lie from {@link #min()} to {@link #max()}. */
  public boolean ranged() {
    return rule == Rule.DECIMAL || rule == Rule.WHOLE;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** The rule in words, as the warning and the manifest and plan errors state it ({@code must be ...}). */
  public String rule() {
    return switch (rule) {
      case DECIMAL -> "must be a number from " + fmt(min) + " to " + fmt(max) + " (a dot for decimals)";
      case WHOLE -> "must be a whole number from " + fmt(min) + " to " + fmt(max);
      case ONE_OF -> "must be one of " + allowed;
      case NAME -> "must be 1 to " + fmt(max) + " characters without spaces";
    };
  }

  /** The value from the function's environment if valid; else (warning logged) the default. Empty if neither. */
  public Optional<String> read() {
    Optional<String> set = FunctionEnvironment.get(name());
    if (set.isPresent()) {
      Optional<String> problem = problem(set.get());
      if (problem.isEmpty()) {
        return Optional.of(set.get().trim());
      }
      LOG.warn("{}; using the default{}", problem.get(), defaultValue.isEmpty() ? " (unset)" : " " + defaultValue);
    }
    return defaultValue.isEmpty() ? Optional.empty() : Optional.of(defaultValue);
  }

  public double readDecimal() {
    return Double.parseDouble(read().orElseThrow(() -> new IllegalStateException(name() + " has no default")));
  }

  public Optional<Long> readWhole() {
    return read().map(Long::parseLong);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
