package com.example.fanout.local.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Gathers one batch the way an event-source mapping does: waits (long polling) for a first record,
 * then takes more until the batch is full or the batching window, opened by that first record,
 * closes. SQS long polls wait whole seconds, so inside the window the collector short-polls instead:
 * again at once after a receive that returned records; otherwise every {@link #POLL_INTERVAL} while
 * the batch is less than half full, every {@link #FILLING_POLL_INTERVAL} once it is at least half
 * full; and a last time {@link #LAST_POLL_LEAD} before the window closes, so that this receive's
 * answer comes back by then. The window ends at its configured time, not at the next second
 * (ADR 0108).
 */
final class BatchCollector<T> {
  /**
   * Every consumer's poller polls this often inside its window, and each poll is a request the
   * embedded SQS server answers: at 10 ms the pollers of a busy saga spent the CPU its functions
   * needed (ADR 0108).
   */
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  /**
   * Once the batch is at least half full, the next records may fill it, and a full batch goes at
   * once: noticed 100 ms late, the records queued behind it would wait that long for the next
   * batch's window to open.
   */
  static final Duration FILLING_POLL_INTERVAL = Duration.ofMillis(10);

  /**
   * How long before the window closes its last receive starts. A receive at the close itself would
   * answer after it, by 24–52 ms at p99 under the pipeline benchmark's open loop: that is wait
   * beyond the window, which the hop target counts.
   */
  static final Duration LAST_POLL_LEAD = Duration.ofMillis(10);

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
    while (running.getAsBoolean() && out.size() < size && deadline - ticker.nanoTime() > 0) {
      List<T> more = source.receive(Math.min(maxPerReceive, size - out.size()), 0);
      out.addAll(more);
      long left = deadline - ticker.nanoTime();
      if (!more.isEmpty() || left <= 0) {
        continue;
      }
      long interval = (out.size() * 2 >= size ? FILLING_POLL_INTERVAL : POLL_INTERVAL).toNanos();
      long untilLastPoll = left - LAST_POLL_LEAD.toNanos();
      // After the last poll, what is left of the window is waited out: the batch goes at its close.
      ticker.sleep(Duration.ofNanos(untilLastPoll > 0 ? Math.min(untilLastPoll, interval) : left));
    }
    return out;
  }
}
