package com.example.fanout.runtime;

/**
 * Where Lambda's Java runtime puts the X-Ray trace header of the invocation being served, and where
 * the X-Ray SDK and Powertools read it, in this order: the invocation thread's entry, the process
 * environment, the system property. The platform reads it ({@code TraceHeaderSource}, the debug
 * buffer, the X-Ray tracer) and the local runtime and the cold-start bench set it as Lambda would.
 */
public final class LambdaTraceHeaders {
  /** The invocation thread's entry in the AWS SDK's {@code SdkInternalThreadLocal}: a runtime serving concurrent invocations in one process. */
  public static final String THREAD_KEY = "AWS_LAMBDA_X_TRACE_ID";
  /** The process environment's variable. */
  public static final String ENVIRONMENT_VARIABLE = "_X_AMZN_TRACE_ID";
  /** The system property the java21 runtime sets per invocation. */
  public static final String SYSTEM_PROPERTY = "com.amazonaws.xray.traceHeader";

  private LambdaTraceHeaders() {}
}
