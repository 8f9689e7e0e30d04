package com.example.fanout.local.iam;

import com.example.fanout.local.iam.Statement.Condition;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * IAM's evaluation of identity-based policies for one request: an explicit deny wins, then any allow,
 * else the implicit (default) deny. Actions match case-insensitively, resources case-sensitively; both
 * take {@code *} (any run of characters) and {@code ?} (one character). Conditions support the
 * operators the platform's policies use: {@code String(Not)Equals(IgnoreCase)}, {@code String(Not)Like},
 * {@code Arn(Not)Equals}, {@code Arn(Not)Like} and {@code Bool}, each with {@code IfExists}.
 */
public final class PolicyEvaluator {
  public enum Outcome { ALLOWED, IMPLICIT_DENY, EXPLICIT_DENY }

  /** @param statement the deciding statement; null for the implicit deny */
  public record Decision(Outcome outcome, Statement statement) {
    public boolean allowed() {
      return outcome == Outcome.ALLOWED;
    }
  }

  private PolicyEvaluator() {}

  public static Decision evaluate(List<Statement> statements, AuthzRequest request) {
    Statement allowing = null;
    for (Statement s : statements) {
      if (!applies(s, request)) {
        continue;
      }
      if (!s.allow()) {
        return new Decision(Outcome.EXPLICIT_DENY, s);
      }
      if (allowing == null) {
        allowing = s;
      }
    }
    return allowing != null ? new Decision(Outcome.ALLOWED, allowing) : new Decision(Outcome.IMPLICIT_DENY, null);
  }

  private static boolean applies(Statement s, AuthzRequest request) {
    return s.actions().stream().anyMatch(a -> wildcard(a.toLowerCase(Locale.ROOT), request.action().toLowerCase(Locale.ROOT)))
        && s.resources().stream().anyMatch(r -> wildcard(r, request.resource()))
        && s.conditions().stream().allMatch(c -> holds(c, request.context().get(c.key())));
  }

  /** IAM's pattern: {@code *} any run of characters (including none), {@code ?} exactly one. */
  static boolean wildcard(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
  }

  static boolean holds(Condition c, List<String> requestValues) {
    String operator = c.operator();
    boolean ifExists = operator.endsWith("IfExists");
    if (ifExists) {
      operator = operator.substring(0, operator.length() - "IfExists".length());
    }
    if (requestValues == null || requestValues.isEmpty()) {
      // A missing key: IfExists passes; a negated operator matches (nothing equals the value); the rest fail.
      return ifExists || operator.contains("Not");
    }
    boolean negated = operator.contains("Not");
    String base = operator.replace("Not", "");
    // Single-valued keys: the request value must match one of the condition's values; for a
    // negated operator, none.
    for (String v : requestValues) {
      boolean any = c.values().stream().anyMatch(expected -> matches(base, expected, v));
      if (negated == any) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(String operator, String expected, String actual) {
    return switch (operator) {
      case "StringEquals" -> expected.equals(actual);
      case "StringEqualsIgnoreCase" -> expected.equalsIgnoreCase(actual);
      case "StringLike", "ArnLike", "ArnEquals" -> wildcard(expected, actual);
      case "Bool" -> Boolean.parseBoolean(expected) == Boolean.parseBoolean(actual);
      default -> throw new IllegalArgumentException("condition operator " + operator
          + " is not evaluated by the local runtime; add it to PolicyEvaluator");
    };
  }
}
