package com.example.payments.domain;

/**
 * The payment provider port.
 *
 * <p>Returns a final answer, or throws {@link PaymentProviderUnavailableException} when the provider
 * could not be asked or did not answer (timeouts, 5xx, throttling): the message is then retried by
 * SQS and, after {@code max_receive_count}, parked in the DLQ (the saga watchdog flags the order).
 */
public interface PaymentProvider {
  AuthorizationResult authorize(AuthorizationRequest request);
}
