package com.example.orders.domain;

/** One line of an order: {@code quantity} units of {@code sku} at {@code unitPriceCents} each. */
public record OrderLine(String sku, int quantity, long unitPriceCents) {
  public long lineTotalCents() {
    return Math.multiplyExact(quantity, unitPriceCents);
  }
}
