package com.example.fanout.local.iam;

/** A call IAM refuses: who, what, on which resource, and why, in AWS's words. */
public record Denial(String function, String principalArn, String action, String resource, boolean explicit) {
  /** AWS's AccessDenied message. */
  public String message() {
    return "User: " + principalArn + " is not authorized to perform: " + action + " on resource: " + resource
        + (explicit ? " with an explicit deny in an identity-based policy" : " because no identity-based policy allows the " + action + " action");
  }

  /** The log line: function, action, resource, and that no statement allows it (or which one denies it). */
  public String logLine() {
    return "IAM denies " + function + ": " + action + " on " + resource
        + (explicit ? " (an explicit Deny statement of its role matches)" : " (no statement of its role allows it)");
  }
}
