package com.example.fanout.local.app.tracing;

/** Every service on the OpenTelemetry tracer ({@code FANOUT_TRACER=otel}), as after the migration (ADR 0066). */
class OtelTracerOneTraceTest extends OneTracePerOrderCheck {
  @Override
  String tracer() {
    return "otel";
  }
}
