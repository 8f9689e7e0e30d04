package com.example.inventory.domain;

import java.util.List;

/** The data of InventoryReserved v1. */
public record InventoryReserved(
    String orderId,
    String reservationId,
    String customerId,
    String customerEmail,
    List<StockLine> items,
    long amountCents,
    String currency,
    String paymentToken) {

  public InventoryReserved {
    items = List.copyOf(items);
  }
}
