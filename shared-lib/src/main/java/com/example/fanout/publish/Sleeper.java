package com.example.fanout.publish;

import java.time.Duration;

/** Waits between retries; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
