package com.example.fanout.tracing;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionVariable;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@code FANOUT_TRACER} through {@link FunctionVariable}: a bad value warns and falls back, never throws. */
final class TracerSelection {
  private static final Logger LOG = LoggerFactory.getLogger(TracerSelection.class);

  private TracerSelection() {}

  static Tracer fromEnvironment() {
    String fallback = FunctionEnvironment.inFunction() ? "xray" : "none";
    String kind = FunctionVariable.FANOUT_TRACER.read().orElse(fallback);
    return named(kind).orElseGet(() -> {
      LOG.warn("FANOUT_TRACER is '{}' but no tracer backend of that name is on the class path"
          + " (otel: the tracing-otel module); using the default {}", kind, fallback);
      return named(fallback).orElseThrow();
    });
  }

  private static Optional<Tracer> named(String kind) {
    return switch (kind) {
      case "xray" -> Optional.of(new XRayTracer());
      case "none" -> Optional.of(Tracer.none());
      default -> ServiceLoader.load(TracerBackend.class).stream().map(ServiceLoader.Provider::get)
          .filter(b -> b.name().equals(kind)).findFirst()
          .map(TracerBackend::fromEnvironment);
    };
  }
}
