package com.example.fanout.publish;

import java.util.Optional;

/**
 * The current trace header ({@code Root=1-...;Parent=...;Sampled=1}) to set on each PutEvents
 * entry, so EventBridge continues the producer's trace. The consumer runtime's tracer supplies one.
 */
@FunctionalInterface
public interface TraceHeaderSource {
  Optional<String> current();

  /** What Lambda sets for the invocation being served, if any. */
  static TraceHeaderSource lambdaEnvironment() {
    return () -> Optional.ofNullable(System.getProperty("com.amazonaws.xray.traceHeader"))
        .or(() -> Optional.ofNullable(System.getenv("_X_AMZN_TRACE_ID")))
        .filter(h -> !h.isBlank());
  }

  static TraceHeaderSource none() {
    return Optional::empty;
  }
}
