package com.example.fanout.local.observability;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One row of a timeline: a hop the runtime logged ({@code component} names the stand-in, {@code
 * detail} where the event went) or an X-Ray segment or subsegment ({@code detail} {@code x-ray} and
 * its origin), with its trace, id and parent.
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
