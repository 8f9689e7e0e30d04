package com.example.fanout.publish;

import java.util.Optional;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * The current trace header ({@code Root=1-...;Parent=...;Sampled=1}) to set on each PutEvents
 * entry, so EventBridge continues the producer's trace. The consumer runtime's tracer supplies one.
 */
@FunctionalInterface
public interface TraceHeaderSource {
  Optional<String> current();

  /**
   * What Lambda sets for the invocation being served, if any, looked up as the X-Ray SDK does: the
   * invocation thread's entry (a runtime serving concurrent invocations in one process), then
   * {@code _X_AMZN_TRACE_ID}, then the system property the Java runtime sets.
   */
  static TraceHeaderSource lambdaEnvironment() {
    return () -> Optional.ofNullable(SdkInternalThreadLocal.get("AWS_LAMBDA_X_TRACE_ID"))
        .or(() -> Optional.ofNullable(System.getenv("_X_AMZN_TRACE_ID")))
        .or(() -> Optional.ofNullable(System.getProperty("com.amazonaws.xray.traceHeader")))
        .filter(h -> !h.isBlank());
  }

  static TraceHeaderSource none() {
    return Optional::empty;
  }
}
