package com.example.orders.domain;

/**
 * The status of an order as the saga's events move it. Statuses only move forward: an event whose
 * status ranks at or below the current one is stale or a duplicate and is ignored. The two terminal
 * statuses outrank everything, so nothing moves an order out of them.
 */
public enum OrderStatus {
  PLACED(10),
  RESERVED(20),
  PAYMENT_AUTHORIZED(30),
  SHIPPED(40),
  /** Out of stock: the order can never be fulfilled. */
  REJECTED(100),
  PAYMENT_FAILED(100);

  private final int rank;

  OrderStatus(int rank) {
    this.rank = rank;
  }

  public int rank() {
    return rank;
  }

  public boolean terminal() {
    return rank >= 100;
  }

  /** The status an event moves an order to, or null when the event does not change the status. */
  public static OrderStatus causedBy(String eventType) {
    return switch (eventType) {
      case "OrderPlaced" -> PLACED;
      case "InventoryReserved" -> RESERVED;
      case "OutOfStock" -> REJECTED;
      case "PaymentAuthorized" -> PAYMENT_AUTHORIZED;
      case "PaymentFailed" -> PAYMENT_FAILED;
      case "OrderShipped" -> SHIPPED;
      default -> null;
    };
  }
}
