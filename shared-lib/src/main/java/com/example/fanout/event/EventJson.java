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
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
    return envelope.readData(data -> write(node.set("data", data)));
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
      return readInstant(text);
    } catch (DateTimeParseException e) {
      throw new InvalidEnvelopeException("occurredAt must be an ISO-8601 instant, was '" + text + "'", e);
    }
  }

  /**
   * {@link Instant#parse}, with the form {@link Instant#toString} writes ({@code 2026-12-04T15:27:19.123Z},
   * 0-9 fraction digits) read field by field: a formatter-based parse costs about as much as
   * validating the envelope's other fields together, once per record. Any other form, and any
   * text whose fields are out of range, goes to {@link Instant#parse}, which accepts or refuses it.
   */
  static Instant readInstant(String text) {
    Instant utc = utcInstant(text);
    return utc != null ? utc : Instant.parse(text);
  }

  private static Instant utcInstant(String t) {
    int n = t.length();
    if (n < 20 || n > 30 || n == 21 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z' || (n > 20 && t.charAt(19) != '.')) {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    int fraction = n > 20 ? digits(t, 20, n - 1) : 0;
    if ((year | month | day | hour | minute | second | fraction) < 0) {
      return null;
    }
    for (int i = n > 20 ? n - 21 : 9; i < 9; i++) {
      fraction *= 10;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, fraction).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException outOfRange) {
      return null;
    }
  }

  /** The decimal number in {@code t[from, to)}, or -1 unless every character is an ASCII digit. */
  private static int digits(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
