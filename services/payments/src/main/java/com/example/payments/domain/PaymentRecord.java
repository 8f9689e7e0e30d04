package com.example.payments.domain;

import java.time.Instant;

/**
 * The payment of one order (table {@code payments}, key {@code order_id}): written once, the first
 * outcome wins.
 *
 * @param paymentId set when authorised
 * @param reason    set when refused
 */
public record PaymentRecord(String orderId, Status status, String paymentId, FailureReason reason,
    long amountCents, String currency, Instant recordedAt) {

  public enum Status { AUTHORIZED, FAILED }

  public static PaymentRecord of(InventoryReserved order, AuthorizationResult result, Instant now) {
    return switch (result) {
      case AuthorizationResult.Authorized a -> new PaymentRecord(order.orderId(), Status.AUTHORIZED, a.paymentId(), null,
          order.amountCents(), order.currency(), now);
      case AuthorizationResult.Refused r -> new PaymentRecord(order.orderId(), Status.FAILED, null, r.reason(),
          order.amountCents(), order.currency(), now);
    };
  }
}
