package com.example.fanout.local;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** PutEvents entries carrying a platform envelope, as the shared-lib publisher sends them. */
public final class Events {
  private Events() {}

  public static String newCorrelationId() {
    return "ord_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  public static PutEventsRequestEntry entry(String source, String type, String correlationId, Map<String, Object> data) {
    ObjectNode envelope = EventJson.mapper().createObjectNode();
    envelope.put("id", UUID.randomUUID().toString());
    envelope.put("type", type);
    envelope.put("version", 1);
    envelope.put("source", source);
    envelope.put("occurredAt", Instant.now().toString());
    envelope.put("correlationId", correlationId);
    envelope.putNull("causationId");
    envelope.set("data", EventJson.mapper().valueToTree(data));
    return PutEventsRequestEntry.builder()
        .eventBusName(TestPlatform.ENV + "-fanout")
        .source(source)
        .detailType(type)
        .detail(EventJson.write(envelope))
        .build();
  }
}
