package com.example.fanout.local.app.tracing;

/** Every service on the X-Ray SDK tracer ({@code FANOUT_TRACER=xray}), as functions run in AWS today. */
class XRayTracerOneTraceTest extends OneTracePerOrderCheck {
  @Override
  String tracer() {
    return "xray";
  }
}
