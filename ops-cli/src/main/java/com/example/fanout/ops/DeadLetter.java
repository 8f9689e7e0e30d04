package com.example.fanout.ops;

import com.example.fanout.contract.DeadLetterAttributes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What a responder needs from one DLQ message: the event (id, type, correlation id) from the body,
 * whichever layers wrap it (SNS notification, EventBridge event, bare envelope), and the failure
 * the consumer runtime attached ({@code fanout-*} message attributes). A body that is not JSON
 * (a truncated poison message) still gives what a pattern can find.
 */
record DeadLetter(String messageId, String receiveCount, String sentTimestamp, String eventId, String eventType,
    String correlationId, String failureReason, String failureClass, String consumer, String sourceQueue,
    String originalMessageId, Map<String, String> otherAttributes, boolean bodyIsJson, String body) {

  static final String REASON = DeadLetterAttributes.REASON;
  static final String CLASS = DeadLetterAttributes.FAILURE_CLASS;
  static final String CONSUMER = DeadLetterAttributes.CONSUMER;
  static final String SOURCE_QUEUE = DeadLetterAttributes.SOURCE_QUEUE;
  static final String ORIGINAL_MESSAGE_ID = DeadLetterAttributes.ORIGINAL_MESSAGE_ID;

  private static final ObjectMapper JSON = new ObjectMapper();

  static DeadLetter of(Message m) {
    Map<String, MessageAttributeValue> a = m.messageAttributes();
    String body = m.body() == null ? "" : m.body();
    Optional<JsonNode> envelope = envelope(body);
    String id = envelope.map(e -> text(e, "id")).orElseGet(() -> find(body, "id"));
    String type = envelope.map(e -> text(e, "type")).orElseGet(() -> find(body, "type"));
    if (type == null) {
      type = find(body, "detail-type");
    }
    String correlation = envelope.map(e -> text(e, "correlationId")).orElseGet(() -> find(body, "correlationId"));
    return new DeadLetter(m.messageId(),
        m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT),
        m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP),
        id, type, correlation,
        attr(a, REASON), attr(a, CLASS), attr(a, CONSUMER), attr(a, SOURCE_QUEUE), attr(a, ORIGINAL_MESSAGE_ID),
        others(a), envelope.isPresent() || parses(body), body);
  }

  /** The platform envelope inside the body: SNS {@code Message} → EventBridge {@code detail} → envelope. */
  static Optional<JsonNode> envelope(String body) {
    JsonNode node = parse(body);
    for (int depth = 0; node != null && depth < 3; depth++) {
      if (node.path("Type").asText().equals("Notification") && node.path("Message").isTextual()) {
        node = parse(node.path("Message").asText());
      } else if (node.has("detail") && node.get("detail").isObject()) {
        node = node.get("detail");
      } else {
        break;
      }
    }
    return node != null && node.has("correlationId") ? Optional.of(node) : Optional.empty();
  }

  private static boolean parses(String body) {
    return parse(body) != null;
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** A {@code "field":"value"} pair anywhere in the text, escaped once (inside an SNS Message) or not. */
  private static String find(String body, String field) {
    Matcher m = Pattern.compile("\\\\?\"" + Pattern.quote(field) + "\\\\?\"\\s*:\\s*\\\\?\"([^\"\\\\]+)").matcher(body);
    return m.find() ? m.group(1) : null;
  }

  /** Attributes other services set on what they park in a DLQ (EventBridge, Scheduler: ERROR_CODE, ERROR_MESSAGE). */
  private static Map<String, String> others(Map<String, MessageAttributeValue> attributes) {
    Map<String, String> out = new java.util.TreeMap<>();
    attributes.forEach((k, v) -> {
      if (!k.startsWith(DeadLetterAttributes.PREFIX) && v.stringValue() != null) {
        out.put(k, v.stringValue());
      }
    });
    return out;
  }

  private static String attr(Map<String, MessageAttributeValue> attributes, String name) {
    MessageAttributeValue v = attributes.get(name);
    return v == null ? null : v.stringValue();
  }
}
