package com.example.payments.domain;

/**
 * What is asked of the provider. {@code orderId} is the idempotency key: the provider returns the
 * first answer again when a retry asks twice.
 */
public record AuthorizationRequest(String orderId, long amountCents, String currency, String paymentToken, String customerId) {
  /** Never prints the token. */
  @Override
  public String toString() {
    return "AuthorizationRequest[orderId=" + orderId + ", amountCents=" + amountCents + ", currency=" + currency + "]";
  }
}
