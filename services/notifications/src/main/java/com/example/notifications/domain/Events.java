package com.example.notifications.domain;

import java.util.List;

/** The data of the three events that end an order, as notifications reads them. */
public final class Events {
  private Events() {}

  /** OrderShipped v1 (fulfillment). */
  public record OrderShipped(String orderId, String shipmentId, String carrier, String trackingNumber,
      String customerId, String customerEmail) {}

  /** OutOfStock v1 (inventory). */
  public record OutOfStock(String orderId, String customerId, String customerEmail, List<Unavailable> unavailable) {
    public OutOfStock {
      unavailable = List.copyOf(unavailable);
    }

    public record Unavailable(String sku, int requested, long available) {}
  }

  /** PaymentFailed v1 (payments). */
  public record PaymentFailed(String orderId, String reason, String reservationId, String customerId,
      String customerEmail, long amountCents, String currency) {}
}
