package com.example.fanout.local.eventbridge;

import java.time.Duration;

/**
 * A rule target's retry policy, as {@code aws_cloudwatch_event_target.retry_policy}: EventBridge
 * retries retryable failures (HTTP 429 and 5xx) with exponential backoff and jitter until either
 * limit is reached, then writes the event to the target's DLQ. Other failures go to the DLQ at once.
 *
 * @param maximumRetryAttempts 0..185
 * @param maximumEventAge      60 s..24 h, measured on the runtime clock from when the bus accepted the event
 */
public record TargetRetryPolicy(int maximumRetryAttempts, Duration maximumEventAge) {
  /** The defaults of EventBridge and of the domain-topic Terraform module: 185 retries, 24 hours. */
  public static final TargetRetryPolicy DEFAULT = new TargetRetryPolicy(185, Duration.ofHours(24));
  /** First backoff step; each retry doubles the ceiling, up to {@link #MAX_BACKOFF}. */
  static final Duration BASE_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(3);

  public TargetRetryPolicy {
    if (maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
      throw new IllegalArgumentException("maximum retry attempts must be 0..185, was " + maximumRetryAttempts);
    }
    if (maximumEventAge.compareTo(Duration.ofSeconds(60)) < 0 || maximumEventAge.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("maximum event age must be 60 s..24 h, was " + maximumEventAge);
    }
  }

  /** The ceiling of the full-jitter delay before retry number {@code retry} (1 for the first). */
  static Duration backoffCeiling(int retry) {
    long millis = BASE_BACKOFF.toMillis() << Math.min(retry - 1, 20);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }
}
