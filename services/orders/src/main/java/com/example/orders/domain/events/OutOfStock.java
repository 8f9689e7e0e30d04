package com.example.orders.domain.events;

import java.util.List;

/** {@code OutOfStock} v1 data ({@code services/inventory/schemas/OutOfStock.v1.json}). */
public record OutOfStock(String orderId, String customerId, String customerEmail, List<Unavailable> unavailable) {

  public record Unavailable(String sku, int requested, int available) {}
}
