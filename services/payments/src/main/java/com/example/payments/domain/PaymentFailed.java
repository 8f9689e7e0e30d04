package com.example.payments.domain;

import java.util.List;

/** The data of PaymentFailed v1: tells inventory to release the reservation, and the customer why. */
public record PaymentFailed(
    String orderId,
    FailureReason reason,
    String reservationId,
    String customerId,
    String customerEmail,
    List<InventoryReserved.Item> items,
    long amountCents,
    String currency) {

  public PaymentFailed {
    items = List.copyOf(items);
  }
}
