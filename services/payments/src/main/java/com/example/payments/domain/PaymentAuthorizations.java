package com.example.payments.domain;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Authorises the payment of an order whose stock is reserved, once: the first recorded outcome is
 * the outcome. A duplicate (a redelivery, a replay) gets the stored outcome without asking the
 * provider again; two concurrent attempts both ask the provider with the same idempotency key (the
 * order id), and the conditional put lets one of them record, the other returns what was recorded.
 */
public final class PaymentAuthorizations {
  private final PaymentProvider provider;
  private final PaymentStore payments;
  private final Clock clock;

  public PaymentAuthorizations(PaymentProvider provider, PaymentStore payments, Clock clock) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.payments = Objects.requireNonNull(payments, "payments");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public PaymentOutcome authorize(InventoryReserved order) {
    Optional<PaymentRecord> existing = payments.find(order.orderId());
    PaymentRecord record = existing.orElseGet(() -> {
      AuthorizationResult result = provider.authorize(new AuthorizationRequest(
          order.orderId(), order.amountCents(), order.currency(), order.paymentToken(), order.customerId()));
      return payments.recordOnce(PaymentRecord.of(order, result, clock.instant()));
    });
    return switch (record.status()) {
      case AUTHORIZED -> new PaymentOutcome.Authorized(new PaymentAuthorized(order.orderId(), record.paymentId(),
          order.customerId(), order.customerEmail(), order.items(), record.amountCents(), record.currency()));
      case FAILED -> new PaymentOutcome.Failed(new PaymentFailed(order.orderId(), record.reason(), order.reservationId(),
          order.customerId(), order.customerEmail(), order.items(), record.amountCents(), record.currency()));
    };
  }
}
