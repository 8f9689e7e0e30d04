package com.example.fanout.local.xray;

/**
 * X-Ray for the local platform: the trace store, the daemon stand-in that functions' X-Ray SDK sends
 * to, the AWS services' own segments, Lambda's part (the recorder and each invocation's header), and
 * the X-Ray API's two read calls, and an OTLP receiver for functions tracing with OpenTelemetry.
 */
public final class LocalXRay implements AutoCloseable {
  private final TraceStore store = new TraceStore();
  private final ServiceSegments segments = new ServiceSegments(store);
  private final XRayDaemon daemon;
  private final XRayApiServer api;
  private final OtlpReceiver otlp;
  private final LambdaTracing lambda;

  /** Starts the daemon on {@code daemonPort} (0 for a free one) and points this JVM's X-Ray SDK at it. */
  public LocalXRay(int daemonPort) {
    this.daemon = new XRayDaemon(daemonPort, store);
    this.api = new XRayApiServer(0, store);
    this.otlp = new OtlpReceiver(0, store);
    this.lambda = new LambdaTracing(segments, daemon.address(), otlp.endpoint());
    lambda.installRecorder();
  }

  public TraceStore store() {
    return store;
  }

  public ServiceSegments segments() {
    return segments;
  }

  public XRayDaemon daemon() {
    return daemon;
  }

  /** GetTraceSummaries and BatchGetTraces over the traces held, for the SDK's XRayClient ({@code AWS_ENDPOINT_URL_XRAY}). */
  public XRayApiServer api() {
    return api;
  }

  /** Where functions running {@code FANOUT_TRACER=otel} export their spans. */
  public OtlpReceiver otlp() {
    return otlp;
  }

  public LambdaTracing lambda() {
    return lambda;
  }

  @Override
  public void close() {
    otlp.close();
    api.close();
    daemon.close();
  }
}
