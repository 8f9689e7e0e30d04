package com.example.fanout.tracing;

import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * The platform's tracing seam. Handlers and the runtime use only this; the backend is chosen by
 * {@code FANOUT_TRACER} = {@code xray | none}, or {@code otel}
 * when the function carries the {@code tracing-otel} module ({@link TracerBackend}). The local runtime runs functions with the X-Ray SDK
 * too, against its daemon stand-in. Spans are per thread: one record is handled on one thread.
 */
public interface Tracer {
  /**
   * Starts the span of one unit of work (one SQS record) that continues the producer's trace.
   *
   * @param parentTraceHeader the producer's {@code Root=...;Parent=...;Sampled=...} header (the SQS
   *                          {@code AWSTraceHeader} attribute), or null to start a new trace
   */
  Span startSegment(String name, String parentTraceHeader);

  /** Starts a child of this thread's current span (a new trace if there is none). */
  Span subsegment(String name);

  /** The header to pass downstream (PutEvents {@code TraceHeader}) for this thread's current span. */
  Optional<String> currentTraceHeader();

  /** Instruments an AWS SDK client so its calls appear as child spans; nothing by default. */
  default ClientOverrideConfiguration.Builder instrument(ClientOverrideConfiguration.Builder config) {
    return config;
  }

  /**
   * Runs {@code priming} with a tracer of the same backend made for SnapStart priming, and releases
   * that tracer before returning: it records and encodes every span as this one would send it, and
   * nothing reaches the function's trace backend, so priming warms the tracing path and no span and
   * no open connection of it is left in a snapshot. A backend without one passes {@link #none()}.
   */
  default <T> T primeWith(Function<Tracer, T> priming) {
    return priming.apply(none());
  }

  /**
   * The tracer {@code FANOUT_TRACER} names; X-Ray when running in Lambda and nothing is set. A value
   * that names no tracer (or a backend whose module the function does not carry) is logged as a
   * warning and the default is used, as for every {@code FunctionVariable}.
   */
  static Tracer fromEnvironment() {
    return TracerSelection.fromEnvironment();
  }

  static Tracer none() {
    return NoopTracer.INSTANCE;
  }
}
