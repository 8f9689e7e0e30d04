package com.example.orders.domain;

import java.util.List;

/**
 * A validated request to place an order, from the HTTP API or one line of an import file.
 *
 * @param orderRef the caller's own reference (import files' optional {@code orderRef}); may be null
 */
public record OrderRequest(
    String customerId,
    String customerEmail,
    String channel,
    List<OrderLine> items,
    String currency,
    String paymentToken,
    String orderRef) {

  public OrderRequest {
    items = List.copyOf(items);
  }

  public long totalCents() {
    long total = 0;
    for (OrderLine line : items) {
      total = Math.addExact(total, line.lineTotalCents());
    }
    return total;
  }
}
