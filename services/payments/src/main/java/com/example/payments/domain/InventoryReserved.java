package com.example.payments.domain;

import java.util.List;

/** The data of InventoryReserved v1 (published by inventory), as payments reads it. */
public record InventoryReserved(
    String orderId,
    String reservationId,
    String customerId,
    String customerEmail,
    List<Item> items,
    long amountCents,
    String currency,
    String paymentToken) {

  public InventoryReserved {
    items = List.copyOf(items);
  }

  /** A reserved line. */
  public record Item(String sku, int quantity) {}
}
