package com.example.fanout.ops;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Progress of a long operation (a DLQ redrive, a batch publish, an archive replay) with rate and ETA:
 * on a terminal one line redrawn in place with a bar; otherwise (a pipe, a log, a test) a plain line at
 * most every few seconds and one at the end, so logs stay readable. The {@code progressbar} library is not served here.
 */
final class Progress {
  private static final int WIDTH = 24;
  private static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

  private final PrintWriter out;
  private final String label;
  private final long total;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final long start;
  private long lastPrinted = Long.MIN_VALUE;
  private long lastDone = -1;

  Progress(PrintWriter out, String label, long total, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  /** On the console when there is one (stdout is a terminal), plain lines otherwise. */
  static Progress of(PrintWriter out, String label, long total) {
    return new Progress(out, label, total, System.console() != null, System::nanoTime);
  }

  void update(long done) {
    long now = nanoTime.getAsLong();
    if (terminal) {
      out.print("\r" + line(label, done, total, Duration.ofNanos(now - start), true));
      out.flush();
    } else if (done != lastDone && (lastPrinted == Long.MIN_VALUE || now - lastPrinted >= PLAIN_EVERY.toNanos())) {
      out.println(line(label, done, total, Duration.ofNanos(now - start), false));
      lastPrinted = now;
    }
    lastDone = done;
  }

  void finish(long done) {
    Duration took = Duration.ofNanos(nanoTime.getAsLong() - start);
    out.print(terminal ? "\r" : "");
    out.println(line(label, done, total, took, terminal));
    out.flush();
  }

  /** {@code label [#####.....] 40/100  12.3/s  ETA 5 s}; the bar only on a terminal. */
  static String line(String label, long done, long total, Duration elapsed, boolean bar) {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    double rate = done / seconds;
    StringBuilder sb = new StringBuilder(label).append(' ');
    if (bar) {
      int filled = total <= 0 ? 0 : (int) Math.min(WIDTH, done * WIDTH / total);
      sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
    }
    sb.append(done).append('/').append(total);
    sb.append(String.format("  %.1f/s", rate));
    if (done >= total) {
      sb.append(String.format("  done in %.1f s", seconds));
    } else if (rate > 0) {
      sb.append(String.format("  ETA %d s", (long) Math.ceil((total - done) / rate)));
    } else {
      sb.append("  ETA -");
    }
    return sb.toString();
  }
}
