package com.example.fanout.local.sns;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * SNS's delivery policy for AWS-managed endpoints, SQS among them, which no subscription can change
 * ("Amazon SNS message delivery retries"): after a server-side error, 3 retries without delay, 2 one
 * second apart, 10 with exponential backoff from 1 s to 20 s, then 100,000 twenty seconds apart,
 * 100,015 retries over about 23 days; what is still not delivered then goes to the subscription's
 * DLQ. SNS jitters its delays but publishes neither its jitter nor its backoff curve: the geometric
 * curve and the jitter here are ours.
 */
final class SubscriptionRetryPolicy {
  static final int IMMEDIATE_RETRIES = 3;
  static final int PRE_BACKOFF_RETRIES = 2;
  static final int BACKOFF_RETRIES = 10;
  static final int POST_BACKOFF_RETRIES = 100_000;
  static final int MAX_RETRIES = IMMEDIATE_RETRIES + PRE_BACKOFF_RETRIES + BACKOFF_RETRIES + POST_BACKOFF_RETRIES;
  static final Duration MIN_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofSeconds(20);

  private SubscriptionRetryPolicy() {}

  /** The delay before retry number {@code retry} (1 for the first), before jitter. */
  static Duration delayBefore(int retry) {
    if (retry < 1 || retry > MAX_RETRIES) {
      throw new IllegalArgumentException("retry must be 1.." + MAX_RETRIES + ", was " + retry);
    }
    if (retry <= IMMEDIATE_RETRIES) {
      return Duration.ZERO;
    }
    if (retry <= IMMEDIATE_RETRIES + PRE_BACKOFF_RETRIES) {
      return MIN_DELAY;
    }
    int step = retry - IMMEDIATE_RETRIES - PRE_BACKOFF_RETRIES - 1;
    if (step < BACKOFF_RETRIES) {
      double ratio = (double) MAX_DELAY.toMillis() / MIN_DELAY.toMillis();
      return Duration.ofMillis(Math.round(MIN_DELAY.toMillis() * Math.pow(ratio, step / (double) (BACKOFF_RETRIES - 1))));
    }
    return MAX_DELAY;
  }

  /** {@link #delayBefore} with jitter: between three quarters and all of it, so that retries of one outage spread out. */
  static Duration jitteredDelayBefore(int retry, RandomGenerator random) {
    long nanos = delayBefore(retry).toNanos();
    return nanos == 0 ? Duration.ZERO : Duration.ofNanos(nanos - random.nextLong(nanos / 4 + 1));
  }
}
