package com.example.fanout.local.lambda;

import java.time.Duration;

/**
 * Told of every invocation of a hosted function: what Lambda counts as Invocations, Errors,
 * Duration and Throttles.
 */
@FunctionalInterface
public interface InvocationObserver {
  InvocationObserver NONE = (function, duration, error) -> {};

  void invoked(String function, Duration duration, boolean error);

  /** An invoke refused at the function's concurrency (429). */
  default void throttled(String function) {}
}
