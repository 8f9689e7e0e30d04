package com.example.fulfillment.domain;

import java.util.List;

/** The data of PaymentAuthorized v1 (published by payments), as fulfillment reads it. */
public record PaymentAuthorized(
    String orderId,
    String paymentId,
    String customerId,
    String customerEmail,
    List<Item> items,
    long amountCents,
    String currency) {

  public PaymentAuthorized {
    items = List.copyOf(items);
  }

  public record Item(String sku, int quantity) {}
}
