package com.example.fanout.tracing;

import java.time.Instant;

/**
 * A finished span as the {@link LocalTracer} records it: one line of an order's timeline.
 *
 * @param parentId the span (or the producer's span) this one continues; null for a trace's first
 * @param outcome  {@code ok}, {@code duplicate}, {@code failed}, {@code poison}, or null if not set
 */
public record SpanRecord(
    String traceId,
    String spanId,
    String parentId,
    String name,
    String correlationId,
    String eventId,
    Instant start,
    Instant end,
    String outcome,
    String error) {}
