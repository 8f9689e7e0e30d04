package com.example.fanout.manifest;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SNS subscription filter policies in message-body scope ({@code FilterPolicyScope = MessageBody}):
 * built from a consumer's {@code on} and {@code filter}, and checked against the rules SNS applies
 * when a subscription is created, which are stricter than Event Ruler's (a policy Ruler compiles but
 * SNS refuses would pass locally and fail at {@code terraform apply}). The manifest loader, the
 * catalog and the local SNS all check through this class; the reasons use SNS's own wording.
 *
 * <p>Sources: Amazon SNS Developer Guide, "Filter policy constraints in Amazon SNS"
 * (subscription-filter-policy-constraints.html: five top-level keys in payload-based filtering, 150
 * combinations, 256 KB, numbers within +/-10^9), "String value matching", "Numeric value matching",
 * "IP address matching", "Key matching" and "AND/OR logic". The exact reasons follow the
 * {@code InvalidParameter} messages SNS returns.
 */
public final class FilterPolicies {
  /** Payload-based filtering counts only top-level keys toward this limit. */
  public static final int MAX_KEYS = 5;
  /** Values of each array, multiplied by the nesting depth of its key, multiplied together. */
  public static final int MAX_COMBINATIONS = 150;
  /** The policy's JSON, UTF-8. */
  public static final int MAX_POLICY_BYTES = 256 * 1024;
  /** Numeric matching accepts values from -10^9 to 10^9. */
  public static final double MAX_NUMBER = 1_000_000_000d;
  public static final String OR = "$or";

  private static final Set<String> STRING_OPERATORS = Set.of("prefix", "suffix", "equals-ignore-case");
  private static final Set<String> RANGE_BOTTOM = Set.of(">", ">=");
  private static final Set<String> RANGE_TOP = Set.of("<", "<=");
  private static final Set<String> NUMERIC = Set.of("<", "<=", "=", ">", ">=");
  private static final Pattern CIDR_MASK = Pattern.compile("\\d{1,3}");

  private FilterPolicies() {}

  /** {@code {"detail-type": [types...]}} merged with the consumer's extra filter, as Terraform merges them. */
  public static ObjectNode policyFor(List<String> types, JsonNode filter) {
    ObjectNode policy = EventJson.mapper().createObjectNode();
    ArrayNode detailTypes = policy.putArray("detail-type");
    types.forEach(detailTypes::add);
    if (filter != null) {
      filter.properties().forEach(f -> policy.set(f.getKey(), f.getValue().deepCopy()));
    }
    return policy;
  }

  /**
   * Why a consumer's extra {@code filter} cannot be used; empty if it can. The limits that depend on
   * the merged policy (keys, combinations, size) are checked per subscription with {@link #validate}.
   */
  public static List<String> check(JsonNode filter) {
    List<String> reasons = new ArrayList<>();
    if (filter.has("detail-type")) {
      reasons.add("must not set detail-type: the consumer's 'on' list sets it");
    }
    checkObject(filter, reasons);
    return reasons;
  }

  /** Every reason SNS would refuse this whole filter policy at subscribe; empty if SNS accepts it. */
  public static List<String> validate(JsonNode policy) {
    List<String> reasons = new ArrayList<>();
    if (policy == null || !policy.isObject()) {
      reasons.add("FilterPolicy: filter policy must be a JSON object");
      return reasons;
    }
    int bytes = EventJson.write(policy).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_POLICY_BYTES) {
      reasons.add("FilterPolicy: Filter policy is too large: " + bytes + " bytes, at most " + MAX_POLICY_BYTES);
    }
    if (policy.size() > MAX_KEYS) {
      reasons.add("FilterPolicy: Filter policy can not have more than " + MAX_KEYS + " keys");
    }
    checkObject(policy, reasons);
    if (reasons.isEmpty()) {
      long combinations = combinations(policy);
      if (combinations > MAX_COMBINATIONS) {
        reasons.add("FilterPolicy: Filter policy is too complex (" + combinations
            + " combinations counted as SNS counts them, values x nesting depth; at most " + MAX_COMBINATIONS + ")");
      }
    }
    return reasons;
  }

  /** Throws SNS's {@code InvalidParameter} when SNS would refuse the policy at subscribe. */
  public static void requireValid(JsonNode policy) {
    List<String> reasons = validate(policy);
    if (!reasons.isEmpty()) {
      throw new InvalidFilterPolicyException(reasons);
    }
  }

  /**
   * The combination count SNS limits: for each array, its number of values times the nesting depth
   * of its key (1 at the top), all multiplied; the branches of {@code $or} add up.
   */
  public static long combinations(JsonNode policy) {
    return combinations(policy, 1);
  }

  private static long combinations(JsonNode object, int depth) {
    long product = 1;
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      JsonNode value = field.getValue();
      if (OR.equals(field.getKey()) && value.isArray()) {
        long sum = 0;
        for (JsonNode branch : value) {
          sum += combinations(branch, depth);
        }
        product *= sum;
      } else if (value.isObject()) {
        product *= combinations(value, depth + 1);
      } else if (value.isArray()) {
        product *= (long) value.size() * depth;
      }
    }
    return product;
  }

  private static void checkObject(JsonNode object, List<String> reasons) {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (OR.equals(key)) {
        checkOr(value, reasons);
      } else if (value.isObject()) {
        checkObject(value, reasons);
      } else if (value.isArray()) {
        if (value.isEmpty()) {
          reasons.add("FilterPolicy: Empty arrays are not allowed");
        }
        value.forEach(rule -> checkRule(rule, reasons));
      } else {
        reasons.add("FilterPolicy: \"" + key + "\" must be an object or an array");
      }
    }
  }

  private static void checkOr(JsonNode branches, List<String> reasons) {
    if (!branches.isArray() || branches.size() < 2) {
      reasons.add("FilterPolicy: " + OR + " must be an array of at least two objects");
      return;
    }
    for (JsonNode branch : branches) {
      if (!branch.isObject() || branch.isEmpty()) {
        reasons.add("FilterPolicy: " + OR + " must be an array of at least two objects");
      } else {
        checkObject(branch, reasons);
      }
    }
  }

  private static void checkRule(JsonNode rule, List<String> reasons) {
    if (rule.isNull() || rule.isTextual() || rule.isBoolean()) {
      return;
    }
    if (rule.isNumber()) {
      checkNumber(rule, reasons);
      return;
    }
    if (!rule.isObject()) {
      reasons.add("FilterPolicy: Match value must be String, number, true, false, or null");
      return;
    }
    if (rule.size() != 1) {
      reasons.add("FilterPolicy: Only one key allowed in match expression");
      return;
    }
    Map.Entry<String, JsonNode> only = rule.properties().iterator().next();
    String operator = only.getKey();
    JsonNode operand = only.getValue();
    switch (operator) {
      case "prefix", "suffix", "equals-ignore-case" -> {
        if (!operand.isTextual()) {
          reasons.add("FilterPolicy: " + operator + " match pattern must be a string");
        }
      }
      case "anything-but" -> checkAnythingBut(operand, reasons);
      case "exists" -> {
        if (!operand.isBoolean()) {
          reasons.add("FilterPolicy: exists match pattern must be either true or false.");
        }
      }
      case "numeric" -> checkNumeric(operand, reasons);
      case "cidr" -> checkCidr(operand, reasons);
      default -> reasons.add("FilterPolicy: Unrecognized match type " + operator);
    }
  }

  /** SNS allows a value, a list of values or a {@code prefix} inside {@code anything-but}; nothing else. */
  private static void checkAnythingBut(JsonNode operand, List<String> reasons) {
    if (operand.isArray()) {
      if (operand.isEmpty()) {
        reasons.add("FilterPolicy: Empty arrays are not allowed");
      }
      for (JsonNode v : operand) {
        if (v.isObject() || v.isArray()) {
          reasons.add("FilterPolicy: Match value must be String, number, true, false, or null");
        } else {
          checkRule(v, reasons);
        }
      }
    } else if (operand.isObject()) {
      for (Map.Entry<String, JsonNode> inner : operand.properties()) {
        if (!"prefix".equals(inner.getKey())) {
          reasons.add("FilterPolicy: Unsupported anything-but pattern: " + inner.getKey());
        } else if (!inner.getValue().isTextual()) {
          reasons.add("FilterPolicy: prefix match pattern must be a string");
        }
      }
    } else {
      checkRule(operand, reasons);
    }
  }

  private static void checkNumber(JsonNode number, List<String> reasons) {
    if (Math.abs(number.doubleValue()) > MAX_NUMBER) {
      reasons.add("FilterPolicy: number " + number + " is outside SNS's range of -10^9 to 10^9");
    }
  }

  /** {@code ["=", 5]}, {@code ["<", 5]}, or a range {@code [">", 0, "<=", 5]} with bottom below top. */
  private static void checkNumeric(JsonNode operand, List<String> reasons) {
    if (!operand.isArray() || operand.isEmpty()) {
      reasons.add("FilterPolicy: Invalid member in numeric match: ]");
      return;
    }
    JsonNode first = operand.get(0);
    if (!first.isTextual()) {
      reasons.add("FilterPolicy: Invalid member in numeric match: " + first);
      return;
    }
    if (!NUMERIC.contains(first.textValue())) {
      reasons.add("FilterPolicy: Unrecognized numeric range operator: " + first.textValue());
      return;
    }
    JsonNode bottom = operand.get(1);
    if (bottom == null || !bottom.isNumber()) {
      reasons.add("FilterPolicy: Value of " + ("=".equals(first.textValue()) ? "equals" : first.textValue()) + " must be numeric");
      return;
    }
    checkNumber(bottom, reasons);
    if (operand.size() == 2) {
      return;
    }
    if (!RANGE_BOTTOM.contains(first.textValue())) {
      reasons.add("FilterPolicy: Too many elements in numeric expression");
      return;
    }
    JsonNode second = operand.get(2);
    if (!second.isTextual()) {
      reasons.add("FilterPolicy: Bad value in numeric range: " + second);
      return;
    }
    if (!RANGE_TOP.contains(second.textValue())) {
      reasons.add("FilterPolicy: Bad numeric range operator: " + second.textValue());
      return;
    }
    JsonNode top = operand.get(3);
    if (top == null || !top.isNumber()) {
      reasons.add("FilterPolicy: Value of " + second.textValue() + " must be numeric");
      return;
    }
    checkNumber(top, reasons);
    if (top.doubleValue() <= bottom.doubleValue()) {
      reasons.add("FilterPolicy: Bottom must be less than top");
    } else if (operand.size() > 4) {
      reasons.add("FilterPolicy: Too many terms in numeric range expression");
    }
  }

  /** An IPv4 or IPv6 prefix such as {@code 10.0.0.0/24}. */
  private static void checkCidr(JsonNode operand, List<String> reasons) {
    if (!operand.isTextual()) {
      reasons.add("FilterPolicy: prefix match pattern must be a string");
      return;
    }
    String[] parts = operand.textValue().split("/", -1);
    if (parts.length != 2) {
      reasons.add("FilterPolicy: Malformed CIDR, one '/' required");
      return;
    }
    if (!CIDR_MASK.matcher(parts[1]).matches()) {
      reasons.add("FilterPolicy: Malformed CIDR, mask bits must be an integer");
      return;
    }
    String address = parts[0];
    boolean v4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
    int mask = Integer.parseInt(parts[1]);
    if (!(v4 || v6) || !literalAddress(address) || mask > (v4 ? 32 : 128)) {
      reasons.add("FilterPolicy: Nonstandard IP address: " + address);
    }
  }

  /** Parses an address literal without any name lookup (the patterns above admit only literals). */
  private static boolean literalAddress(String address) {
    try {
      InetAddress.getByName(address);
      return address.contains(":") || java.util.Arrays.stream(address.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }
}
