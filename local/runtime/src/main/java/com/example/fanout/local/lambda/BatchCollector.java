package com.example.fanout.local.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Gathers one batch the way an event-source mapping does: waits (long polling) for a first record,
 * then takes more until the batch is full or the batching window, opened by that first record,
 * closes. SQS long polls wait whole seconds, so inside the window the collector short-polls instead:
 * again at once after a receive that returned records, otherwise every {@link #POLL_INTERVAL}, and
 * once more as the window closes. The window ends at its configured time, not at the next second,
 * and its batch holds what arrived until then (ADR 0108).
 */
final class BatchCollector<T> {
  /**
   * Every consumer's poller polls this often inside its window, and each poll is a request the
   * embedded SQS server answers: at 10 ms the pollers of a busy saga spent the CPU its functions
   * needed (ADR 0108).
   */
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  /** One receive call: at most {@code max} records, waiting up to {@code waitSeconds} (0: return at once). */
  interface Source<T> {
    List<T> receive(int max, int waitSeconds);
  }

  /** Time, so tests can drive it. */
  interface Ticker {
    long nanoTime();

    void sleep(Duration d) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d);
      }
    };
  }

  private final int size;
  private final int maxPerReceive;
  private final Duration window;
  private final Source<T> source;
  private final Ticker ticker;

  /**
   * @param window the batching window in real time (the configured window already scaled by the
   *               local clock's speed)
   */
  BatchCollector(int size, int maxPerReceive, Duration window, Source<T> source, Ticker ticker) {
    if (size < 1 || maxPerReceive < 1 || window.isNegative()) {
      throw new IllegalArgumentException("batch size " + size + ", per receive " + maxPerReceive + ", window " + window);
    }
    this.size = size;
    this.maxPerReceive = maxPerReceive;
    this.window = window;
    this.source = source;
    this.ticker = ticker;
  }

  /** An empty list when no first record came within one long poll of a second. */
  List<T> collect(BooleanSupplier running) throws InterruptedException {
    List<T> out = new ArrayList<>(source.receive(Math.min(maxPerReceive, size), 1));
    if (out.isEmpty() || window.isZero()) {
      return out;
    }
    long deadline = ticker.nanoTime() + window.toNanos();
    while (running.getAsBoolean() && out.size() < size) {
      long left = deadline - ticker.nanoTime();
      List<T> more = source.receive(Math.min(maxPerReceive, size - out.size()), 0);
      out.addAll(more);
      if (left <= 0) {
        break; // the receive as the window closed
      }
      if (more.isEmpty()) {
        ticker.sleep(Duration.ofNanos(Math.min(left, POLL_INTERVAL.toNanos())));
      }
    }
    return out;
  }
}
