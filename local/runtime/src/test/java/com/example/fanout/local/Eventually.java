package com.example.fanout.local;

import java.time.Duration;
import java.util.function.Supplier;

/** Awaits a condition with a bounded poll: the tests' only way to wait for asynchronous delivery. */
public final class Eventually {
  private Eventually() {}

  public static void await(Duration timeout, Supplier<Boolean> condition) {
    await(timeout, condition, "condition");
  }

  public static void await(Duration timeout, Supplier<Boolean> condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (Boolean.TRUE.equals(condition.get())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not met within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
