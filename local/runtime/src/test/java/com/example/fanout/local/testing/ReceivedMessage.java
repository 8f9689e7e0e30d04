package com.example.fanout.local.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One SQS record as a test handler saw it; {@code event} is null when the body was not JSON. */
public record ReceivedMessage(String messageId, String body, JsonNode event, Map<String, String> attributes, boolean failed) {
  public String correlationId() {
    return event == null ? null : event.path("detail").path("correlationId").asText(null);
  }
}
