package com.example.inventory.domain;

/** A quantity of one sku, as carried by InventoryReserved, InventoryReleased, PaymentFailed and PaymentAuthorized. */
public record StockLine(String sku, int quantity) {
  public StockLine {
    if (sku == null || sku.isBlank()) {
      throw new IllegalArgumentException("sku is required");
    }
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity must be 1 or more, was " + quantity + " for " + sku);
    }
  }
}
