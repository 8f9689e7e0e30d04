package com.example.inventory.domain;

import java.util.List;

/** The data of InventoryReleased v1. */
public record InventoryReleased(String orderId, String reservationId, List<StockLine> items) {
  public InventoryReleased {
    items = List.copyOf(items);
  }
}
