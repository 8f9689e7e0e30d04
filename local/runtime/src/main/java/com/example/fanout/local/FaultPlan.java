package com.example.fanout.local;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which faults to inject where, keyed by consumer ({@code <service>-<consumer>}, e.g.
 * {@code inventory-reserve-stock}) or {@code *} for every consumer. Seeded, so a run with the same
 * plan and traffic draws the same faults.
 *
 * <p>Text form (the {@code --fault} option, repeatable):
 * {@code inventory-reserve-stock:crash=0.1,throttle=0.05,duplicate=0.2,delay=250ms,poison=0.01}.
 * Delivery targets fail with {@code <service>-events:refuse=1} (the topic denies EventBridge's
 * publish, not retried) or {@code <service>-events:unavailable=0.5} (SNS answers 500, retried), and
 * {@code <service>-<consumer>:missing=1} (the consumer's queue does not exist for SNS's delivery: to
 * its DLQ at once) or {@code <service>-<consumer>:unavailable=1} (the queue answers 500: SNS retries).
 * A stream mapping's invocations time out with {@code <service>-<stream>:timeout=0.05} (e.g.
 * {@code orders-outbox-relay}): before the handler gets anything done, as when a downstream call hangs
 * until the deadline; or with {@code timeout-after=0.05}: the handler did its work (the relay's
 * events went out), then Lambda reports the timeout, as when a batch finishes just past the deadline.
 */
public final class FaultPlan {
  public static final String EVERY_CONSUMER = "*";
  /** The topic denies the publish (AuthorizationError): EventBridge does not retry. */
  public static final String DELIVERY_REFUSED = "refuse";
  /** The topic answers 500 (InternalError): EventBridge retries with backoff; or a consumer's queue does, and SNS retries. */
  public static final String DELIVERY_UNAVAILABLE = "unavailable";
  /** The consumer's queue does not exist when SNS delivers to it. */
  public static final String QUEUE_MISSING = "missing";
  /** A stream mapping's invocation times out before the handler got anything done. */
  public static final String STREAM_TIMEOUT = "timeout";
  /** A stream mapping's invocation times out after the handler did its work. */
  public static final String STREAM_TIMEOUT_AFTER = "timeout-after";

  private final Map<String, ConsumerFaults> byConsumer;
  private final Map<String, Map<String, Double>> deliveryFaults;
  private final long seed;
  private final Map<String, SplittableRandom> randomByConsumer = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;
  private final Map<String, java.util.concurrent.atomic.AtomicLong> injected = new ConcurrentHashMap<>();

  private FaultPlan(Map<String, ConsumerFaults> byConsumer, Map<String, Map<String, Double>> deliveryFaults, long seed) {
    this.byConsumer = new ConcurrentHashMap<>(byConsumer);
    this.deliveryFaults = new ConcurrentHashMap<>();
    deliveryFaults.forEach((target, flags) -> this.deliveryFaults.put(target, new ConcurrentHashMap<>(flags)));
    this.seed = seed;
  }

  public static FaultPlan none() {
    return new FaultPlan(Map.of(), Map.of(), 1);
  }

  /** Starts (rate above 0) or ends (rate 0) a delivery fault while the platform runs: an outage, then its fix. */
  public void setDeliveryFault(String target, String flag, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(flag + " rate must be between 0 and 1, was " + rate);
    }
    deliveryFaults.computeIfAbsent(target, k -> new ConcurrentHashMap<>()).put(flag, rate);
  }

  /**
   * True when delivery to {@code target} ({@code <service>-events} or {@code <service>-<consumer>})
   * should fail with {@code flag}; counted under the flag.
   */
  public boolean deliveryFails(String target, String flag) {
    return draw(target + "/" + flag, flag, deliveryFaults.getOrDefault(target, Map.of()).getOrDefault(flag, 0d));
  }

  /**
   * True when this invocation by stream mapping {@code mapping} should time out at {@code flag}
   * ({@link #STREAM_TIMEOUT} or {@link #STREAM_TIMEOUT_AFTER}); counted under the flag.
   */
  public boolean streamTimesOut(String mapping, String flag) {
    double rate = deliveryFaults.getOrDefault(mapping, Map.of()).getOrDefault(flag, 0d);
    return draw(mapping + "/" + flag, flag, rate);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Changes one consumer's faults while the platform runs (a throttle that lasts until its concurrency
   * is raised, say): its mapping reads them at each batch and its subscriptions at each delivery.
   * {@link ConsumerFaults#NONE} ends them.
   */
  public void setConsumerFaults(String qualifiedName, ConsumerFaults faults) {
    byConsumer.put(qualifiedName, faults);
  }

  public ConsumerFaults forConsumer(String qualifiedName) {
    return byConsumer.getOrDefault(qualifiedName, byConsumer.getOrDefault(EVERY_CONSUMER, ConsumerFaults.NONE));
  }

  /** Removes every fault from now on (a chaos run's recovery phase); delays stop too. */
  public void disable() {
    enabled = false;
  }

  public boolean enabled() {
    return enabled;
  }

  public Map<String, ConsumerFaults> entries() {
    return Map.copyOf(byConsumer);
  }

  /** {@link #draw(String, double)}, counting each fault that fires under {@code kind} ({@link #injected()}). */
  public boolean draw(String consumer, String kind, double rate) {
    boolean fired = draw(consumer, rate);
    if (fired) {
      injected.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }
    return fired;
  }

  /**
   * How many faults fired so far, by kind: a consumer's (crash, crash-after, throttle, duplicate,
   * poison), a delivery target's (refuse, unavailable, missing) or a stream mapping's (timeout, timeout-after).
   */
  public Map<String, Long> injected() {
    Map<String, Long> out = new java.util.TreeMap<>();
    injected.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * True with probability {@code rate}. Each consumer draws from its own seeded sequence, so its
   * faults do not depend on traffic to other consumers.
   */
  public boolean draw(String consumer, double rate) {
    if (!enabled || rate <= 0) {
      return false;
    }
    if (rate >= 1) {
      return true;
    }
    SplittableRandom random = randomByConsumer.computeIfAbsent(consumer, c -> new SplittableRandom(seed ^ c.hashCode()));
    synchronized (random) {
      return random.nextDouble() < rate;
    }
  }

  public static final class Builder {
    private final Map<String, ConsumerFaults> byConsumer = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> deliveryFaults = new LinkedHashMap<>();
    private long seed = 42;

    public Builder consumer(String qualifiedName, ConsumerFaults faults) {
      byConsumer.put(qualifiedName, faults);
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** Adds one {@code consumer:flag=value,...} clause. */
    public Builder parse(String clause) {
      int colon = clause.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("fault '" + clause + "': expected <service>-<consumer>:flag=value,... or *:flag=value");
      }
      String consumer = clause.substring(0, colon).trim();
      ConsumerFaults faults = byConsumer.getOrDefault(consumer, ConsumerFaults.NONE);
      for (String setting : clause.substring(colon + 1).split(",")) {
        String[] kv = setting.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("fault '" + clause + "': '" + setting + "' is not flag=value");
        }
        String value = kv[1].trim();
        faults = switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
          case "crash" -> faults.withCrashRate(Double.parseDouble(value));
          case "crash-after" -> faults.withCrashAfterRate(Double.parseDouble(value));
          case "throttle" -> faults.withThrottleRate(Double.parseDouble(value));
          case "duplicate" -> faults.withDuplicateRate(Double.parseDouble(value));
          case "poison" -> faults.withPoisonRate(Double.parseDouble(value));
          case "delay" -> faults.withDelay(parseDuration(value));
          case DELIVERY_REFUSED, DELIVERY_UNAVAILABLE, QUEUE_MISSING, STREAM_TIMEOUT, STREAM_TIMEOUT_AFTER -> {
            double rate = Double.parseDouble(value);
            if (!(rate >= 0 && rate <= 1)) {
              throw new IllegalArgumentException(kv[0].trim() + " rate must be between 0 and 1, was " + rate);
            }
            deliveryFaults.computeIfAbsent(consumer, k -> new LinkedHashMap<>()).put(kv[0].trim().toLowerCase(Locale.ROOT), rate);
            yield faults;
          }
          default -> throw new IllegalArgumentException("fault '" + clause + "': unknown flag '" + kv[0]
              + "' (crash, crash-after, throttle, duplicate, delay, poison, refuse, unavailable, missing, timeout, timeout-after)");
        };
      }
      byConsumer.put(consumer, faults);
      return this;
    }

    public FaultPlan build() {
      return new FaultPlan(byConsumer, deliveryFaults, seed);
    }

    private static Duration parseDuration(String text) {
      String t = text.toLowerCase(Locale.ROOT);
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      return Duration.ofMillis(Long.parseLong(t));
    }
  }
}
