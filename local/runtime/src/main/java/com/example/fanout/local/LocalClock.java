package com.example.fanout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /**
   * Puts when something waiting at the stop was accepted into the line the platform keeps it in:
   * the instant and its age now, which {@link #acceptedAt(JsonNode)} reads at the next start.
   */
  public void keepAcceptedAt(ObjectNode line, Instant acceptedAt) {
    line.put("acceptedAt", acceptedAt.toString());
    line.put("age", Duration.between(acceptedAt, now()).toString());
  }

  /**
   * When a kept thing was accepted, on this clock: as old as it was at the stop. The last run's clock
   * may have run ahead of this one ({@code --clock-speed}), so its instants are not compared with this
   * one's. A line without its age (kept by an earlier version) keeps its instant.
   */
  public Instant acceptedAt(JsonNode kept) {
    if (kept.hasNonNull("age")) {
      return now().minus(Duration.parse(kept.get("age").asText()));
    }
    return kept.hasNonNull("acceptedAt") ? Instant.parse(kept.get("acceptedAt").asText()) : now();
  }
}
