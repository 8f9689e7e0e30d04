package com.example.fanout.local.iam;

import java.util.List;

/**
 * One statement of an identity-based policy. {@code conditions} are ANDed; the values of one
 * condition are ORed, as IAM evaluates them.
 */
public record Statement(String sid, boolean allow, List<String> actions, List<String> resources, List<Condition> conditions) {
  public Statement {
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
    conditions = List.copyOf(conditions);
  }

  /** @param operator e.g. {@code StringEquals}, {@code ArnLike}, {@code Bool}, with an optional {@code IfExists} */
  public record Condition(String operator, String key, List<String> values) {
    public Condition {
      values = List.copyOf(values);
    }
  }
}
