package com.example.inventory.domain;

import java.util.List;

/** The data of PaymentFailed v1 (published by payments), as inventory reads it to release stock. */
public record PaymentFailed(
    String orderId,
    String reason,
    String reservationId,
    String customerId,
    String customerEmail,
    List<StockLine> items,
    long amountCents,
    String currency) {

  public PaymentFailed {
    items = List.copyOf(items);
  }
}
