package com.example.orders.domain.events;

import java.util.List;

/** {@code OrderPlaced} v1 data ({@code services/orders/schemas/OrderPlaced.v1.json}). */
public record OrderPlaced(
    String orderId,
    String customerId,
    String customerEmail,
    String channel,
    List<Item> items,
    long totalCents,
    String currency,
    String paymentToken) {

  public record Item(String sku, int quantity, long unitPriceCents) {}
}
