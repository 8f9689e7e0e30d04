package com.example.inventory.domain;

import java.util.List;

/** The data of PaymentAuthorized v1 (published by payments), as inventory reads it to settle a reservation. */
public record PaymentAuthorized(String orderId, List<StockLine> items) {

  public PaymentAuthorized {
    items = List.copyOf(items);
  }
}
