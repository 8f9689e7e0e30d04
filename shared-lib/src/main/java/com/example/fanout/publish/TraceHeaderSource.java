package com.example.fanout.publish;

import com.example.fanout.runtime.LambdaTraceHeaders;
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
    return () -> Optional.ofNullable(SdkInternalThreadLocal.get(LambdaTraceHeaders.THREAD_KEY))
        .or(() -> Optional.ofNullable(System.getenv(LambdaTraceHeaders.ENVIRONMENT_VARIABLE)))
        .or(() -> Optional.ofNullable(System.getProperty(LambdaTraceHeaders.SYSTEM_PROPERTY)))
        .filter(h -> !h.isBlank());
  }

  static TraceHeaderSource none() {
    return Optional::empty;
  }
}
