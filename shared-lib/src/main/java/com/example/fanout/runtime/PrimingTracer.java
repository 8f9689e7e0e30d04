package com.example.fanout.runtime;

import com.example.fanout.tracing.Tracer;
import java.util.function.Supplier;

/**
 * The tracer a priming invocation (ADR 0120) traces with in place of the function's own, for this
 * thread only: its spans and calls are recorded by priming's tracer and dropped with it. A function's
 * entry point asks for its tracer here at each invocation.
 */
public final class PrimingTracer {
  private static final ThreadLocal<Tracer> PRIMING = new ThreadLocal<>();

  private PrimingTracer() {}

  static <T> T during(Tracer priming, Supplier<T> body) {
    return ThreadScoped.with(PRIMING, priming, body);
  }

  /** Priming's tracer while a priming invocation runs on this thread, otherwise {@code function}. */
  public static Tracer orElse(Tracer function) {
    Tracer priming = PRIMING.get();
    return priming == null ? function : priming;
  }
}
