package com.example.inventory.domain;

import java.util.List;

/** The data of OutOfStock v1: the lines that could not be served, with what was left of each. */
public record OutOfStock(String orderId, String customerId, String customerEmail, List<Unavailable> unavailable) {
  public OutOfStock {
    unavailable = List.copyOf(unavailable);
  }

  /** A line that could not be reserved; {@code available} is 0 for an unknown sku. */
  public record Unavailable(String sku, int requested, long available) {}
}
