package com.example.fanout.tracing;

/**
 * A tracing backend shipped in its own module, found with {@link java.util.ServiceLoader} when
 * {@code FANOUT_TRACER} names it; only the functions that select it carry its dependencies.
 */
public interface TracerBackend {
  /** The {@code FANOUT_TRACER} value that selects it. */
  String name();

  /** The tracer, configured from the function's environment. */
  Tracer fromEnvironment();
}
