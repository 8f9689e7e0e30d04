package com.example.reporting.domain;

import java.time.Instant;

/** Saga events as the ledger sees them. */
public final class LedgerFixtures {
  private LedgerFixtures() {}

  public static LedgerUpdate placed(String orderId, Instant at, long cents, String currency) {
    return LedgerUpdate.of("evt_placed_" + orderId, "OrderPlaced", at, new LedgerData(orderId, cents, null, currency, null, null, "cus_1"));
  }

  public static LedgerUpdate reserved(String orderId, Instant at) {
    return LedgerUpdate.of("evt_reserved_" + orderId, "InventoryReserved", at, new LedgerData(orderId, null, 2500L, "EUR", null, null, "cus_1"));
  }

  public static LedgerUpdate outOfStock(String orderId, Instant at) {
    return LedgerUpdate.of("evt_oos_" + orderId, "OutOfStock", at, new LedgerData(orderId, null, null, null, null, null, "cus_1"));
  }

  public static LedgerUpdate authorized(String orderId, Instant at) {
    return LedgerUpdate.of("evt_auth_" + orderId, "PaymentAuthorized", at, new LedgerData(orderId, null, 2500L, "EUR", null, null, "cus_1"));
  }

  public static LedgerUpdate paymentFailed(String orderId, Instant at, String reason) {
    return LedgerUpdate.of("evt_pf_" + orderId, "PaymentFailed", at, new LedgerData(orderId, null, 2500L, "EUR", reason, null, "cus_1"));
  }

  public static LedgerUpdate shipped(String orderId, Instant at) {
    return LedgerUpdate.of("evt_shipped_" + orderId, "OrderShipped", at, new LedgerData(orderId, null, null, null, null, null, "cus_1"));
  }

  public static LedgerUpdate notified(String orderId, Instant at, String outcome) {
    return LedgerUpdate.of("evt_notified_" + orderId, "NotificationSent", at, new LedgerData(orderId, null, null, null, null, outcome, null));
  }
}
