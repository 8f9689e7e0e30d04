package com.example.fanout.tracing;

import com.example.fanout.runtime.FunctionEnvironment;
import java.util.Optional;
import java.util.ServiceLoader;
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

  /** The tracer {@code FANOUT_TRACER} names; X-Ray when running in Lambda and nothing is set. */
  static Tracer fromEnvironment() {
    String kind = FunctionEnvironment.get("FANOUT_TRACER")
        .orElse(FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_NAME").isPresent() ? "xray" : "none");
    return switch (kind) {
      case "xray" -> new XRayTracer();
      case "none" -> none();
      default -> ServiceLoader.load(TracerBackend.class).stream().map(ServiceLoader.Provider::get)
          .filter(b -> b.name().equals(kind)).findFirst()
          .map(TracerBackend::fromEnvironment)
          .orElseThrow(() -> new IllegalStateException("FANOUT_TRACER must be xray, none or a backend on the class path"
              + " (otel: the tracing-otel module), was '" + kind + "'"));
    };
  }

  static Tracer none() {
    return NoopTracer.INSTANCE;
  }
}
