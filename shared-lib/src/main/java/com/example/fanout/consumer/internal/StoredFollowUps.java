package com.example.fanout.consumer.internal;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.event.Sha256;
import com.example.fanout.publish.ClaimCheck;
import com.example.fanout.publish.ClaimCheckStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The follow-up events kept in a COMPLETED idempotency record, so a duplicate republishes them with
 * the same ids: inline as a JSON array, or, when that would not fit in a DynamoDB item (400 KB), in
 * the claim-check store with only the reference in the record (ADR 0061).
 */
final class StoredFollowUps {
  /** Inline limit of the record's {@code data}: 400 KB less room for the key, hash and other attributes. */
  static final int MAX_INLINE_BYTES = 350 * 1024;
  private static final String PREFIX = "idempotency/";

  private final ClaimCheckStore claimChecks;

  StoredFollowUps(ClaimCheckStore claimChecks) {
    this.claimChecks = claimChecks;
  }

  /**
   * What the record keeps for these events.
   *
   * @throws FailureClass.FollowUpsTooLargeException if they do not fit and the consumer has no claim-check store
   */
  String toRecord(String idempotencyKey, List<Envelope> events) {
    String inline = encode(events);
    byte[] bytes = inline.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_INLINE_BYTES) {
      return inline;
    }
    if (claimChecks == null) {
      throw new FailureClass.FollowUpsTooLargeException("the " + events.size() + " follow-up event(s) take " + bytes.length
          + " bytes, more than an idempotency record holds (" + MAX_INLINE_BYTES + "), and the consumer has no"
          + " CLAIM_CHECK_BUCKET to keep them in");
    }
    ClaimCheck claim = claimChecks.put(PREFIX + idempotencyKey.replace('#', '/') + ".json", bytes);
    ObjectNode reference = EventJson.mapper().createObjectNode();
    reference.set(ClaimCheck.FIELD, EventJson.tree(claim));
    return EventJson.write(reference);
  }

  /** The events a record keeps, fetched from the claim-check store if the record holds a reference. */
  List<Envelope> fromRecord(String data) {
    if (data == null || data.isBlank()) {
      return List.of();
    }
    JsonNode node = EventJson.parse(data);
    if (node.isObject() && node.has(ClaimCheck.FIELD)) {
      if (claimChecks == null) {
        throw new IllegalStateException("the idempotency record refers to follow-ups in a claim-check store,"
            + " and the consumer has no CLAIM_CHECK_BUCKET");
      }
      ClaimCheck claim = EventJson.convert(node.get(ClaimCheck.FIELD), ClaimCheck.class);
      byte[] payload = claimChecks.get(claim);
      if (payload == null || !Sha256.hex(payload).equals(claim.sha256())) {
        throw new IllegalStateException("stored follow-ups at " + claim.key() + " are missing or do not match their sha256");
      }
      node = EventJson.parse(new String(payload, StandardCharsets.UTF_8));
    }
    List<Envelope> events = new ArrayList<>();
    for (JsonNode event : node) {
      events.add(EventJson.readEnvelope(event));
    }
    return events;
  }

  static String encode(List<Envelope> events) {
    ArrayNode array = EventJson.mapper().createArrayNode();
    for (Envelope e : events) {
      array.add(EventJson.parse(EventJson.writeEnvelope(e)));
    }
    return EventJson.write(array);
  }
}
