package com.example.fanout.local;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's clock: starts at the real time and runs {@code speed} times faster. Schedules fire
 * on it, and the retry delay of a failed message (the rest of its visibility timeout) shrinks by the
 * same factor, so an hourly job or a redrive after five attempts can be watched in seconds.
 */
public final class LocalClock {
  private final Instant origin;
  private final long originNanos;
  private final double speed;

  public LocalClock(double speed) {
    if (!(speed >= 1)) {
      throw new IllegalArgumentException("clock speed must be 1 or more, was " + speed);
    }
    this.origin = Instant.now();
    this.originNanos = System.nanoTime();
    this.speed = speed;
  }

  public double speed() {
    return speed;
  }

  public Instant now() {
    long elapsed = System.nanoTime() - originNanos;
    return origin.plusNanos((long) (elapsed * speed));
  }

  /** Real time that passes while this clock advances by {@code simulated}. */
  public Duration toReal(Duration simulated) {
    return Duration.ofNanos((long) (simulated.toNanos() / speed));
  }

  /**
   * Waits until this clock reads {@code instant}, or until {@code stop} is released.
   *
   * @return false when {@code stop} ended the wait
   */
  public boolean awaitUntil(Instant instant, CountDownLatch stop) throws InterruptedException {
    Duration left = Duration.between(now(), instant);
    while (!left.isNegative() && !left.isZero()) {
      long millis = Math.max(1, toReal(left).toMillis());
      if (stop.await(Math.min(millis, 500), TimeUnit.MILLISECONDS)) {
        return false;
      }
      left = Duration.between(now(), instant);
    }
    return stop.getCount() > 0;
  }
}
