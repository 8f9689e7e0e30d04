package com.example.fanout.local.sns;

import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.FilterPolicies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.Machine;

/**
 * SNS filter policies in message-body scope, matched by Event Ruler. Policies are checked with
 * SNS's rules first ({@link FilterPolicies#requireValid}), so Ruler never sees a policy SNS would
 * refuse. Where SNS's semantics differ from Ruler's (EventBridge's), policy and message are adapted:
 * <ul>
 *   <li>{@code "exists": true} needs a non-null, non-empty value in SNS; EventBridge also matches
 *       {@code null}. JSON nulls in the message become a marker string and {@code exists: true}
 *       becomes "anything but the marker or the empty string"; a literal {@code null} in a policy
 *       matches the marker, so {@code [null]} still matches a null value.</li>
 *   <li>A message body that is not JSON matches no policy (SNS delivers nothing), rather than failing.</li>
 * </ul>
 * Keys with dots ({@code "a.b"}) match the nested path, as in SNS; Ruler flattens both the same way.
 */
public final class FilterPolicyMatcher {
  /** Stands for JSON null; a value no JSON document in this platform carries. */
  static final String NULL_MARKER = "\u0000sns-null";

  private final Machine machine = Machine.builder().build();

  /**
   * Adds a subscription's policy under {@code name}.
   *
   * @throws com.example.fanout.manifest.InvalidFilterPolicyException when SNS would refuse it
   */
  public void add(String name, JsonNode policy) {
    FilterPolicies.requireValid(policy);
    try {
      machine.addRule(name, EventJson.write(adaptPolicy(policy)));
    } catch (Exception e) {
      throw new IllegalArgumentException("filter policy of " + name + " is valid for SNS but Event Ruler cannot compile it: "
          + e.getMessage(), e);
    }
  }

  /** Names of the policies the message body matches; none when the body is not a JSON object. */
  public List<String> matches(String messageBody) {
    JsonNode message;
    try {
      message = EventJson.parse(messageBody);
    } catch (RuntimeException notJson) {
      return List.of();
    }
    return message != null && message.isObject() ? matches(message) : List.of();
  }

  public List<String> matches(JsonNode message) {
    try {
      return machine.rulesForJSONEvent(adaptMessage(message));
    } catch (Exception e) {
      return List.of();
    }
  }

  static JsonNode adaptMessage(JsonNode node) {
    if (node.isNull()) {
      return TextNode.valueOf(NULL_MARKER);
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(f -> copy.set(f.getKey(), adaptMessage(f.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(v -> copy.add(adaptMessage(v)));
      return copy;
    }
    return node;
  }

  static ObjectNode adaptPolicy(JsonNode policy) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : policy.properties()) {
      JsonNode value = field.getValue();
      if (FilterPolicies.OR.equals(field.getKey())) {
        ArrayNode branches = copy.putArray(field.getKey());
        value.forEach(branch -> branches.add(adaptPolicy(branch)));
      } else if (value.isObject()) {
        copy.set(field.getKey(), adaptPolicy(value));
      } else {
        ArrayNode rules = copy.putArray(field.getKey());
        value.forEach(rule -> rules.add(adaptRule(rule)));
      }
    }
    return copy;
  }

  private static JsonNode adaptRule(JsonNode rule) {
    if (rule.isNull()) {
      return TextNode.valueOf(NULL_MARKER);
    }
    if (rule.isObject() && rule.path("exists").isBoolean() && rule.path("exists").booleanValue()) {
      ObjectNode anythingBut = JsonNodeFactory.instance.objectNode();
      anythingBut.putArray("anything-but").add(NULL_MARKER).add("");
      return anythingBut;
    }
    if (rule.isObject() && rule.has("anything-but")) {
      JsonNode operand = rule.get("anything-but");
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      if (operand.isNull()) {
        copy.put("anything-but", NULL_MARKER);
      } else if (operand.isArray()) {
        ArrayNode values = copy.putArray("anything-but");
        operand.forEach(v -> values.add(v.isNull() ? TextNode.valueOf(NULL_MARKER) : v));
      } else {
        copy.set("anything-but", operand);
      }
      return copy;
    }
    return rule;
  }
}
