package com.example.fanout.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The one JSON configuration of the platform: ISO-8601 instants, unknown payload fields tolerated,
 * duplicate keys refused (two readers must never see two different values of one field).
 */
public final class EventJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .build();

  private static final ObjectMapper CANONICAL = MAPPER.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private EventJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static JsonNode tree(Object value) {
    return value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
  }

  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read " + type.getSimpleName() + " from event data: " + e.getOriginalMessage(), e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The JSON text with every object's keys sorted and no whitespace: content that is equal gives
   * equal text, whatever the order or layout it arrived in (hashes of payloads and requests).
   */
  public static String canonical(JsonNode node) {
    try {
      return CANONICAL.writeValueAsString(CANONICAL.treeToValue(node, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write canonical JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON text; a syntax error becomes an {@link InvalidEnvelopeException}. */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEnvelopeException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads an envelope from its JSON form (the EventBridge detail), checking every field. */
  public static Envelope readEnvelope(String json) {
    return readEnvelope(parse(json));
  }

  public static Envelope readEnvelope(JsonNode node) {
    if (!(node instanceof ObjectNode)) {
      throw new InvalidEnvelopeException("expected a JSON object");
    }
    return new Envelope(
        text(node, "id", true),
        text(node, "type", true),
        version(node),
        text(node, "source", true),
        instant(node),
        text(node, "correlationId", true),
        text(node, "causationId", false),
        node.get("data"));
  }

  public static String writeEnvelope(Envelope envelope) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", envelope.id());
    node.put("type", envelope.type());
    node.put("version", envelope.version());
    node.put("source", envelope.source());
    node.put("occurredAt", envelope.occurredAt().toString());
    node.put("correlationId", envelope.correlationId());
    if (envelope.causationId() == null) {
      node.putNull("causationId");
    } else {
      node.put("causationId", envelope.causationId());
    }
    node.set("data", envelope.data());
    return write(node);
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new InvalidEnvelopeException(field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidEnvelopeException(field + " must be a string");
    }
    return value.textValue();
  }

  private static int version(JsonNode node) {
    JsonNode value = node.get("version");
    if (value == null || !value.canConvertToExactIntegral() || !value.isNumber()) {
      throw new InvalidEnvelopeException("version must be an integer");
    }
    return value.intValue();
  }

  private static Instant instant(JsonNode node) {
    String text = text(node, "occurredAt", true);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidEnvelopeException("occurredAt must be an ISO-8601 instant, was '" + text + "'", e);
    }
  }
}
