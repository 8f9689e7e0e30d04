package com.example.payments.domain;

import java.util.List;

/** The data of PaymentAuthorized v1. */
public record PaymentAuthorized(
    String orderId,
    String paymentId,
    String customerId,
    String customerEmail,
    List<InventoryReserved.Item> items,
    long amountCents,
    String currency) {

  public PaymentAuthorized {
    items = List.copyOf(items);
  }
}
