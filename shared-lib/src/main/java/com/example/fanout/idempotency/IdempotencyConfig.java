package com.example.fanout.idempotency;

import com.example.fanout.runtime.FunctionEnvironment;
import java.time.Duration;

/**
 * @param expiry how long a COMPLETED record keeps deduplicating its event. The default, 24 hours,
 *               covers the longest window in which the same event can arrive again on its own:
 *               EventBridge retries a target for up to 24 hours, SNS and SQS redeliver within minutes.
 *               A replay from the archive after that is deliberately processed again.
 */
public record IdempotencyConfig(Duration expiry) {
  public static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);

  public IdempotencyConfig {
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("idempotency expiry must be positive");
    }
  }

  public static IdempotencyConfig defaults() {
    return new IdempotencyConfig(DEFAULT_EXPIRY);
  }

  /** {@code IDEMPOTENCY_EXPIRY_SECONDS} if set, else the default. */
  public static IdempotencyConfig fromEnvironment() {
    return FunctionEnvironment.get("IDEMPOTENCY_EXPIRY_SECONDS")
        .map(s -> new IdempotencyConfig(Duration.ofSeconds(Long.parseLong(s))))
        .orElseGet(IdempotencyConfig::defaults);
  }
}
