package com.example.fanout.manifest;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SNS subscription filter policies (message-body scope) built from a consumer's {@code on} and
 * {@code filter}, and checked against SNS's own rules, which are stricter than Event Ruler's: a
 * policy Ruler accepts but SNS rejects would pass locally and fail at {@code terraform apply}.
 */
public final class FilterPolicies {
  /** SNS: at most 150 value combinations per policy. */
  public static final int MAX_COMBINATIONS = 150;
  private static final Set<String> OPERATORS = Set.of("prefix", "suffix", "anything-but", "numeric", "exists", "equals-ignore-case", "cidr");
  private static final double MAX_NUMBER = 1_000_000_000d;

  private FilterPolicies() {}

  /** {@code {"detail-type": [types...]}} merged with the consumer's extra filter. */
  public static ObjectNode policyFor(List<String> types, JsonNode filter) {
    ObjectNode policy = EventJson.mapper().createObjectNode();
    ArrayNode detailTypes = policy.putArray("detail-type");
    types.forEach(detailTypes::add);
    if (filter != null) {
      filter.properties().forEach(f -> policy.set(f.getKey(), f.getValue().deepCopy()));
    }
    return policy;
  }

  /** Every reason the filter would be rejected by SNS or would break routing; empty if it is fine. */
  public static List<String> check(JsonNode filter) {
    List<String> reasons = new ArrayList<>();
    if (filter.has("detail-type")) {
      reasons.add("must not set detail-type: the consumer's 'on' list sets it");
    }
    long combinations = walk(filter, "", reasons);
    if (combinations > MAX_COMBINATIONS) {
      reasons.add("has " + combinations + " value combinations; SNS allows at most " + MAX_COMBINATIONS);
    }
    return reasons;
  }

  private static long walk(JsonNode node, String path, List<String> reasons) {
    long product = 1;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      String here = path.isEmpty() ? key : path + "." + key;
      if (key.contains(".") || key.contains("*")) {
        reasons.add(here + ": keys may not contain '.' or '*' (nest mappings instead)");
      }
      JsonNode value = field.getValue();
      if (value.isObject()) {
        product *= walk(value, here, reasons);
      } else if (value.isArray()) {
        if (value.isEmpty()) {
          reasons.add(here + ": must list at least one value");
        }
        for (JsonNode v : value) {
          checkValue(v, here, reasons);
        }
        product *= Math.max(1, value.size());
      } else {
        reasons.add(here + ": must be a list of values or a nested mapping, was " + value);
      }
    }
    return product;
  }

  private static void checkValue(JsonNode v, String path, List<String> reasons) {
    if (v.isNumber() && Math.abs(v.doubleValue()) > MAX_NUMBER) {
      reasons.add(path + ": number " + v + " is outside SNS's range of +/-1e9");
    } else if (v.isObject()) {
      v.fieldNames().forEachRemaining(op -> {
        if (!OPERATORS.contains(op)) {
          reasons.add(path + ": unknown operator '" + op + "' (SNS supports " + OPERATORS + ")");
        }
      });
    } else if (!v.isTextual() && !v.isNumber() && !v.isBoolean() && !v.isNull()) {
      reasons.add(path + ": values must be strings, numbers, booleans, null or operator objects");
    }
  }
}
