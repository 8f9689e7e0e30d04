package com.example.payments.domain;

/** The event to emit for an order. */
public sealed interface PaymentOutcome {
  record Authorized(PaymentAuthorized event) implements PaymentOutcome {}

  record Failed(PaymentFailed event) implements PaymentOutcome {}
}
