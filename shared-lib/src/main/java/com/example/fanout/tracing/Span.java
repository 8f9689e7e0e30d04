package com.example.fanout.tracing;

/** One timed piece of work in a trace. Close it exactly once, in a finally block or try-with-resources. */
public interface Span extends AutoCloseable {
  /** Annotation keys every backend indexes: filter a trace by correlation id or event id. */
  String CORRELATION_ID = "correlation_id";
  String EVENT_ID = "event_id";
  String EVENT_TYPE = "event_type";

  String traceId();

  String spanId();

  Span annotate(String key, String value);

  /** How the work ended: {@code ok}, {@code duplicate}, {@code failed}, {@code poison}. */
  Span outcome(String outcome);

  Span error(Throwable error);

  @Override
  void close();
}
