package com.example.fanout.local.iam;

import java.util.Locale;

/** What the local runtime does with a call its function's planned role does not allow. */
public enum IamMode {
  /** Answer with the service's AccessDenied error, as AWS would. */
  ENFORCE,
  /** Log the denial and let the call through. */
  WARN,
  /** Do not look. */
  OFF;

  public static IamMode parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--iam takes enforce, warn or off, not '" + value + "'");
    }
  }
}
