package com.example.fanout.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * The platform's event: carried as the EventBridge {@code detail}; its {@code type} is the
 * {@code detail-type} and its {@code source} the EventBridge {@code source}.
 *
 * <p>Immutable: {@code data} is copied on the way in and on the way out; the runtime's own checks,
 * which only look at it, read it in place through {@link #readData}.
 *
 * @param id            unique per event; deterministic for events caused by another event
 * @param type          PascalCase past-tense event name, e.g. {@code OrderPlaced}
 * @param version       schema version of {@code data}
 * @param source        reverse-DNS name of the publishing service, e.g. {@code com.example.orders}
 * @param occurredAt    when the fact happened
 * @param correlationId shared by every event of one business flow (the order id in the saga)
 * @param causationId   id of the event that caused this one, or null for a first event
 * @param data          the payload, described by {@code schemas/<type>.v<version>.json}
 */
public record Envelope(
    String id,
    String type,
    int version,
    String source,
    Instant occurredAt,
    String correlationId,
    String causationId,
    JsonNode data) {

  private static final int MAX_ID_LENGTH = 128;

  public Envelope {
    // Each reason is built only when its check fails: envelopes are made for every record of every batch.
    if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw invalid("id", "must be 1-128 characters");
    }
    if (!EventNames.isType(type)) {
      throw invalid("type", "must be a PascalCase event name such as OrderPlaced, was " + quote(type));
    }
    if (version < 1) {
      throw invalid("version", "must be 1 or more, was " + version);
    }
    if (!EventNames.isSource(source)) {
      throw invalid("source", "must be a reverse-DNS name such as com.example.orders, was " + quote(source));
    }
    if (occurredAt == null) {
      throw invalid("occurredAt", "is required");
    }
    if (correlationId == null || correlationId.isBlank()) {
      throw invalid("correlationId", "is required");
    }
    if (causationId != null && causationId.isBlank()) {
      throw invalid("causationId", "must be null or non-blank");
    }
    if (!(data instanceof ObjectNode)) {
      throw invalid("data", "must be a JSON object");
    }
    data = data.deepCopy();
  }

  /** A copy of the payload; the envelope itself never changes. */
  @Override
  public JsonNode data() {
    return data.deepCopy();
  }

  /**
   * Reads the payload in place, without the copy {@link #data()} makes: for checks that only look
   * at it (schema validation, hashing, serialising) on every record of every batch. {@code reader}
   * must neither change the node nor keep it.
   */
  public <T> T readData(Function<? super JsonNode, ? extends T> reader) {
    return reader.apply(data);
  }

  /** The payload bound to a type, e.g. a record of the event's fields. */
  public <T> T dataAs(Class<T> type) {
    return EventJson.convert(data, type);
  }

  /** A first event of a flow (no cause): a random id, a new correlation id unless given. */
  public static Envelope first(String type, int version, String source, String correlationId, Object data, Instant now) {
    return new Envelope(EventIds.random(), type, version, source, now, correlationId, null, EventJson.tree(data));
  }

  /**
   * An event caused by {@code cause}: the same cause and type (and key) always give the same id, so
   * a re-publish after a crash is a duplicate downstream, never a new event.
   *
   * @param key tells apart several events of one type from one cause (e.g. one per line); "" if one
   */
  public static Envelope causedBy(Envelope cause, String type, int version, String source, String key, Object data, Instant now) {
    Objects.requireNonNull(cause, "cause");
    return new Envelope(EventIds.derived(cause.id(), type, key), type, version, source, now,
        cause.correlationId(), cause.id(), EventJson.tree(data));
  }

  /** {@link #causedBy(Envelope, String, int, String, String, Object, Instant)} with no key. */
  public static Envelope causedBy(Envelope cause, String type, int version, String source, Object data, Instant now) {
    return causedBy(cause, type, version, source, "", data, now);
  }

  private static InvalidEnvelopeException invalid(String field, String reason) {
    return new InvalidEnvelopeException(field + " " + reason);
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
