package com.example.fanout.manifest;

import java.util.List;

/**
 * SNS refuses a subscription's filter policy: error code {@code InvalidParameter}, with a message
 * of the form SNS gives to {@code Subscribe} ({@code Invalid parameter: Attributes Reason: FilterPolicy: ...}).
 */
public final class InvalidFilterPolicyException extends IllegalArgumentException {
  public static final String ERROR_CODE = "InvalidParameter";

  private final List<String> reasons;

  public InvalidFilterPolicyException(List<String> reasons) {
    super("Invalid parameter: Attributes Reason: " + String.join("; ", reasons));
    this.reasons = List.copyOf(reasons);
  }

  public String errorCode() {
    return ERROR_CODE;
  }

  /** Each rule the policy breaks, in SNS's words ({@code FilterPolicy: ...}). */
  public List<String> reasons() {
    return reasons;
  }
}
