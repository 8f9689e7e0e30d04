package com.example.fanout.publish;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Full-jitter exponential backoff (the AWS Architecture Blog's recommendation): before retry n
 * (1-based) wait a uniformly random time in [0, min(cap, base x 2^(n-1))). The budget is the number
 * of attempts, the first one included.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap, DoubleSupplier random) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 <= base <= cap");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(50), Duration.ofSeconds(2), () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The wait before retry {@code retry} (1 for the first retry). */
  public Duration delayBefore(int retry) {
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry - 1, 30));
    return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
  }
}
