package com.example.fanout.local.xray;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.emitters.UDPEmitter;
import com.example.fanout.local.xray.ServiceSegments.ServiceSegment;
import com.example.fanout.runtime.LambdaTraceHeaders;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.Callable;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * What Lambda does for X-Ray around each invocation, for functions hosted in this JVM: it records its
 * service segment ({@code AWS::Lambda}) and the function segment ({@code AWS::Lambda::Function})
 * continuing the trace of the event (the SQS {@code AWSTraceHeader}, or a new trace), and hands the
 * function the trace header whose parent is the function segment.
 *
 * <p>The X-Ray SDK finds that header the way it does in Lambda: {@code LambdaSegmentContext} reads
 * the {@code AWS_LAMBDA_X_TRACE_ID} entry of the SDK's {@code SdkInternalThreadLocal} first (the
 * Java runtime sets it per invocation thread when one process serves concurrent invocations), then
 * {@code _X_AMZN_TRACE_ID}, then the {@code com.amazonaws.xray.traceHeader} property. Many functions
 * share this JVM, so the thread-local entry is the one that keeps concurrent invocations apart. The
 * SDK picks {@code LambdaSegmentContext} when {@code LAMBDA_TASK_ROOT} is in the process environment,
 * which a JVM cannot set for itself: {@link #installRecorder} gives the global recorder that context
 * directly, and its emitter the daemon stand-in's address.
 */
public final class LambdaTracing {
  private final ServiceSegments segments;
  private final String daemonAddress;
  private final URI otlpEndpoint;

  public LambdaTracing(ServiceSegments segments, String daemonAddress, URI otlpEndpoint) {
    this.segments = segments;
    this.daemonAddress = daemonAddress;
    this.otlpEndpoint = otlpEndpoint;
  }

  /** Makes {@link #recorder()} this JVM's global recorder, which the functions' X-Ray SDK uses. */
  public void installRecorder() {
    AWSXRay.setGlobalRecorder(recorder());
  }

  /** A recorder as the SDK builds it in Lambda, sending to the daemon stand-in. */
  public AWSXRayRecorder recorder() {
    DaemonConfiguration daemon = new DaemonConfiguration();
    daemon.setDaemonAddress(daemonAddress);
    SegmentContextResolverChain lambdaContext = new SegmentContextResolverChain();
    lambdaContext.addResolver(LambdaSegmentContext::new);
    try {
      return AWSXRayRecorderBuilder.standard()
          .withSegmentContextResolverChain(lambdaContext)
          .withEmitter(new UDPEmitter(daemon))
          .build();
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot open the X-Ray emitter's socket", e);
    }
  }

  /**
   * The variables Lambda sets for X-Ray in every function's environment, and where an
   * OpenTelemetry tracer exports (what the ADOT layer's collector listens on in AWS).
   */
  public Map<String, String> environment(String functionName) {
    return Map.of("AWS_LAMBDA_FUNCTION_NAME", functionName, "AWS_XRAY_DAEMON_ADDRESS", daemonAddress,
        "AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR", "OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint.toString());
  }

  /** Records Lambda's segments for one invocation triggered with {@code upstreamHeader} (may be null). */
  public Invocation begin(String functionName, String upstreamHeader) {
    ServiceSegment service = segments.begin(functionName, ServiceSegments.LAMBDA, upstreamHeader).sendInProgress();
    ServiceSegment function = service.child(functionName, ServiceSegments.LAMBDA_FUNCTION).sendInProgress();
    return new Invocation(service, function);
  }

  /** One invocation's segments; {@link #run} the handler inside it, then {@link #end} it. */
  public static final class Invocation {
    private final ServiceSegment service;
    private final ServiceSegment function;

    private Invocation(ServiceSegment service, ServiceSegment function) {
      this.service = service;
      this.function = function;
    }

    /** What the function sees as {@code _X_AMZN_TRACE_ID}: the function segment is the parent. */
    public String header() {
      return function.header();
    }

    public String traceId() {
      return function.traceId();
    }

    /** Runs the handler on this thread with the invocation's trace header where the SDK looks for it. */
    public <T> T run(Callable<T> handler) throws Exception {
      String before = SdkInternalThreadLocal.get(LambdaTraceHeaders.THREAD_KEY);
      SdkInternalThreadLocal.put(LambdaTraceHeaders.THREAD_KEY, header());
      try {
        return handler.call();
      } finally {
        if (before == null) {
          SdkInternalThreadLocal.remove(LambdaTraceHeaders.THREAD_KEY);
        } else {
          SdkInternalThreadLocal.put(LambdaTraceHeaders.THREAD_KEY, before);
        }
      }
    }

    /** The function failed (an error, a crash or a timeout): Lambda marks its segments so. */
    public void failed(String cause) {
      function.error(cause);
      service.error(cause);
    }

    public void end() {
      function.end();
      service.end();
    }
  }
}
