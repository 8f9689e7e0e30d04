package com.example.fanout.runtime;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SnapStart priming so that the snapshot holds the code it made hot compiled (ADR 0123).
 *
 * <p>While priming runs, the JIT's queue is long, and HotSpot raises its compile thresholds with the
 * queue's length. The interpreter also checks a method's count against them only every 128 calls.
 * A method that priming ran a few hundred times can therefore stay interpreted. It is queued on a
 * later call, once the queue is short. Without settling, that later call came in a restored
 * function's first batch, which then compiled the JDK's HTTP connection path, the SDK's request path
 * and the handler's own code while it ran.
 */
public final class JitSettling {
  /** Priming runs twice: the second pass calls each method of the first at least as often again. */
  public static final int PRIMING_PASSES = 2;
  /** How long the JIT must compile nothing for it to count as quiet. */
  static final Duration QUIET = Duration.ofMillis(30);
  /** The longest {@link #prime} waits for the JIT after a pass; it is quiet within about 1 s here. */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(JitSettling.class);

  private JitSettling() {}

  /**
   * Runs {@code priming} {@value #PRIMING_PASSES} times, and after each pass waits until the JIT is
   * quiet ({@link #awaitQuiet}, at most {@link #MAX_WAIT}). The first wait empties the queue, so that
   * the second pass queues each method the first left interpreted; the second wait lets them compile
   * before the snapshot.
   */
  public static void prime(Runnable priming) {
    for (int pass = 1; pass <= PRIMING_PASSES; pass++) {
      priming.run();
      if (!awaitQuiet(MAX_WAIT)) {
        LOG.info("SnapStart priming: the JIT was still compiling {} after pass {}", MAX_WAIT, pass);
      }
    }
  }

  /**
   * Returns once the JIT has compiled nothing for {@link #QUIET}, or once {@code max} has passed:
   * true in the first case. The compilation time this reads ({@link CompilationMXBean}) grows
   * while any compilation runs. Returns false at once on a JVM that does not report it.
   */
  public static boolean awaitQuiet(Duration max) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return false;
    }
    long deadline = System.nanoTime() + max.toNanos();
    long quietPolls = QUIET.toMillis() / POLL_MILLIS;
    long last = jit.getTotalCompilationTime();
    for (long quiet = 0; quiet < quietPolls; ) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      long now = jit.getTotalCompilationTime();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
    return true;
  }
}
