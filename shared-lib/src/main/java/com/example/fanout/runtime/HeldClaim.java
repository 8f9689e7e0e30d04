package com.example.fanout.runtime;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * A record whose idempotency claim another execution holds, the way SnapStart priming's loopback
 * ({@link LoopbackEndpoint}) and the cold-start bench's stub stage it: the record's event id is
 * {@link #EVENT_ID}, and DynamoDB refuses its claim. The consumer then reports the record failed,
 * for a retry: a function's first transient failure.
 */
public final class HeldClaim {
  public static final String EVENT_ID = "evt_claimed_elsewhere";
  private static final String PUT_ITEM = "DynamoDB_20120810.PutItem";

  private HeldClaim() {}

  /**
   * DynamoDB's answer, with HTTP 400, to a {@code PutItem} whose item's {@code id} ends with {@code
   * #}{@link #EVENT_ID}: {@code ConditionalCheckFailedException}, with the item as it stands when
   * the request asks for it ({@code ReturnValuesOnConditionCheckFailure: ALL_OLD}), which is the item
   * sent, a claim still in progress. Empty for any other request, {@code target} being its {@code
   * X-Amz-Target} (null when none).
   */
  public static Optional<String> refusal(String target, byte[] request) {
    if (!PUT_ITEM.equals(target)) {
      return Optional.empty();
    }
    JsonNode put;
    try {
      put = EventJson.mapper().readTree(request);
    } catch (IOException unreadable) {
      return Optional.empty();
    }
    if (!put.path("Item").path("id").path("S").asText().endsWith("#" + EVENT_ID)) {
      return Optional.empty();
    }
    ObjectNode refused = EventJson.mapper().createObjectNode()
        .put("__type", "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException")
        .put("message", "The conditional request failed");
    if ("ALL_OLD".equals(put.path("ReturnValuesOnConditionCheckFailure").asText())) {
      refused.set("Item", put.path("Item"));
    }
    return Optional.of(EventJson.write(refused));
  }
}
