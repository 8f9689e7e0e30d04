package com.example.fanout.local.observability;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One hop of an event's path, in the JSON-lines layout the consumer runtime writes to
 * {@code FANOUT_TRACE_FILE}; {@code component} and {@code detail} are the runtime's own additions
 * (which stand-in recorded it, and where the event went).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Span(
    String traceId,
    String spanId,
    String parentId,
    String name,
    String correlationId,
    String eventId,
    String eventType,
    Instant start,
    Instant end,
    String outcome,
    String component,
    String detail) {

  public static final String OK = "ok";
  public static final String ERROR = "error";
}
