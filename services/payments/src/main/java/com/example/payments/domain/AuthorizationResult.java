package com.example.payments.domain;

/** The provider's final answer for one order. */
public sealed interface AuthorizationResult {
  record Authorized(String paymentId) implements AuthorizationResult {}

  record Refused(FailureReason reason) implements AuthorizationResult {}
}
