package com.example.fanout.local.observability;

import com.fasterxml.jackson.databind.JsonNode;

/** What the timeline needs to know about an event: found in an EventBridge event or its envelope. */
public record EventRef(String correlationId, String eventId, String eventType) {
  public static final EventRef UNKNOWN = new EventRef(null, null, null);

  /** From a whole EventBridge event ({@code detail} is our envelope) or from a bare envelope. */
  public static EventRef of(JsonNode event) {
    if (event == null || !event.isObject()) {
      return UNKNOWN;
    }
    JsonNode envelope = event.has("detail") ? event.get("detail") : event;
    String type = text(envelope, "type");
    if (type == null) {
      type = text(event, "detail-type");
    }
    return new EventRef(text(envelope, "correlationId"), text(envelope, "id"), type);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }
}
