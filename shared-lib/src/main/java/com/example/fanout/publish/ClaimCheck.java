package com.example.fanout.publish;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.event.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A reference to an event's payload kept in a {@link ClaimCheckStore}. On the wire the event's
 * {@code data} is {@code {"$claimCheck": {"bucket", "key", "sha256", "bytes"}}}: consumers that
 * filter on data fields see only the reference, so producers opt in per event type.
 */
public record ClaimCheck(String bucket, String key, String sha256, long bytes) {
  public static final String FIELD = "$claimCheck";

  public static boolean isClaimCheck(Envelope envelope) {
    return envelope.readData(data -> data.size() == 1 && data.has(FIELD));
  }

  public static ClaimCheck of(Envelope envelope) {
    return envelope.readData(data -> EventJson.convert(data.get(FIELD), ClaimCheck.class));
  }

  /** The envelope with its data replaced by this reference. */
  Envelope replace(Envelope envelope) {
    ObjectNode data = EventJson.mapper().createObjectNode();
    data.set(FIELD, EventJson.tree(this));
    return new Envelope(envelope.id(), envelope.type(), envelope.version(), envelope.source(), envelope.occurredAt(),
        envelope.correlationId(), envelope.causationId(), data);
  }

  /** The envelope with its payload fetched back and checked against the recorded hash. */
  public static Envelope resolve(Envelope envelope, ClaimCheckStore store) {
    if (!isClaimCheck(envelope)) {
      return envelope;
    }
    ClaimCheck claim = of(envelope);
    byte[] payload = store.get(claim);
    if (!Sha256.hex(payload).equals(claim.sha256())) {
      throw new IllegalStateException("claim-checked payload of " + envelope.id() + " at " + claim.key() + " does not match its sha256");
    }
    JsonNode data = EventJson.parse(new String(payload, StandardCharsets.UTF_8));
    return new Envelope(envelope.id(), envelope.type(), envelope.version(), envelope.source(), envelope.occurredAt(),
        envelope.correlationId(), envelope.causationId(), data);
  }

}
