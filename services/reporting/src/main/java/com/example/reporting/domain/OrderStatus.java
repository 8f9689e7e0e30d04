package com.example.reporting.domain;

import java.util.Optional;

/** Where an order is in the saga, as the ledger records it. */
public enum OrderStatus {
  PLACED, RESERVED, REJECTED, PAYMENT_AUTHORIZED, PAYMENT_FAILED, SHIPPED;

  /** The status an event moves the order to; empty for events that do not (NotificationSent). */
  public static Optional<OrderStatus> after(String eventType) {
    return Optional.ofNullable(switch (eventType) {
      case "OrderPlaced" -> PLACED;
      case "InventoryReserved" -> RESERVED;
      case "OutOfStock" -> REJECTED;
      case "PaymentAuthorized" -> PAYMENT_AUTHORIZED;
      case "PaymentFailed" -> PAYMENT_FAILED;
      case "OrderShipped" -> SHIPPED;
      default -> null;
    });
  }
}
