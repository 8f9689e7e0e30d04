package com.example.payments.domain;

/** Why a payment was not authorised: the {@code reason} enum of PaymentFailed v1. */
public enum FailureReason {
  DECLINED,
  INSUFFICIENT_FUNDS,
  INVALID_TOKEN,
  /** The provider answered that it cannot take the payment at all (not a transient outage, which is retried). */
  PROVIDER_UNAVAILABLE
}
