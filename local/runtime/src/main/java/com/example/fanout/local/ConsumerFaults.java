package com.example.fanout.local;

import java.time.Duration;

/**
 * Faults injected into one consumer's path. Rates are probabilities per invocation (crash,
 * throttle) or per delivered message (duplicate, poison).
 *
 * @param crashRate     the function dies before the handler runs: the whole batch fails
 * @param throttleRate  the invoke is throttled (429): the poller backs off and retries the same batch
 * @param duplicateRate SNS delivers the same body to the queue twice (at-least-once delivery)
 * @param delay         added before every invocation (a slow dependency, a cold start)
 * @param poisonRate    a malformed copy of a delivered message is also sent to the queue
 * @param crashAfterRate the function dies after the handler ran (its writes and follow-up events
 *                       are done) but before Lambda learns the outcome: the whole batch is delivered again
 */
public record ConsumerFaults(double crashRate, double throttleRate, double duplicateRate, Duration delay, double poisonRate,
    double crashAfterRate) {
  public static final ConsumerFaults NONE = new ConsumerFaults(0, 0, 0, Duration.ZERO, 0);

  public ConsumerFaults(double crashRate, double throttleRate, double duplicateRate, Duration delay, double poisonRate) {
    this(crashRate, throttleRate, duplicateRate, delay, poisonRate, 0);
  }

  public ConsumerFaults {
    checkRate("crash-after", crashAfterRate);
    checkRate("crash", crashRate);
    checkRate("throttle", throttleRate);
    checkRate("duplicate", duplicateRate);
    checkRate("poison", poisonRate);
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay must be zero or positive");
    }
  }

  public boolean isNone() {
    return equals(NONE);
  }

  public ConsumerFaults withCrashRate(double rate) {
    return new ConsumerFaults(rate, throttleRate, duplicateRate, delay, poisonRate, crashAfterRate);
  }

  public ConsumerFaults withThrottleRate(double rate) {
    return new ConsumerFaults(crashRate, rate, duplicateRate, delay, poisonRate, crashAfterRate);
  }

  public ConsumerFaults withDuplicateRate(double rate) {
    return new ConsumerFaults(crashRate, throttleRate, rate, delay, poisonRate, crashAfterRate);
  }

  public ConsumerFaults withDelay(Duration value) {
    return new ConsumerFaults(crashRate, throttleRate, duplicateRate, value, poisonRate, crashAfterRate);
  }

  public ConsumerFaults withPoisonRate(double rate) {
    return new ConsumerFaults(crashRate, throttleRate, duplicateRate, delay, rate, crashAfterRate);
  }

  public ConsumerFaults withCrashAfterRate(double rate) {
    return new ConsumerFaults(crashRate, throttleRate, duplicateRate, delay, poisonRate, rate);
  }

  private static void checkRate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " rate must be between 0 and 1, was " + rate);
    }
  }
}
