package com.example.inventory.domain;

import java.util.List;

/** The data of OrderPlaced v1 (published by orders), as inventory reads it. */
public record OrderPlaced(
    String orderId,
    String customerId,
    String customerEmail,
    String channel,
    List<OrderLine> items,
    long totalCents,
    String currency,
    String paymentToken) {

  public OrderPlaced {
    items = List.copyOf(items);
  }

  /** One line of the order. */
  public record OrderLine(String sku, int quantity, long unitPriceCents) {}
}
