package com.example.reporting.domain;

import java.time.Instant;

/**
 * What one event changes in its order's ledger entry.
 *
 * @param status        the status the event moves the order to, or null
 * @param failureReason OUT_OF_STOCK or PaymentFailed's reason, or null
 * @param amountCents   the order amount if the event carries it, or null
 * @param notified      NotificationSent's outcome, or null
 * @param placedAt      OrderPlaced's occurredAt, or null
 * @param recordedAt    when the ledger applies it (its clock), or null: with occurredAt, how far the
 *                      ledger lags behind the saga (see {@link SagaWatchdog})
 */
public record LedgerUpdate(String orderId, String eventId, String eventType, Instant occurredAt,
    OrderStatus status, String failureReason, Long amountCents, String currency, String notified, Instant placedAt,
    Instant recordedAt) {

  /** The same update, applied at {@code at}. */
  public LedgerUpdate recordedAt(Instant at) {
    return new LedgerUpdate(orderId, eventId, eventType, occurredAt, status, failureReason, amountCents, currency, notified,
        placedAt, at);
  }

  public static LedgerUpdate of(String eventId, String eventType, Instant occurredAt, LedgerData data) {
    OrderStatus status = OrderStatus.after(eventType).orElse(null);
    String failure = switch (eventType) {
      case "OutOfStock" -> "OUT_OF_STOCK";
      case "PaymentFailed" -> data.reason();
      default -> null;
    };
    Long amount = data.amountCents() != null ? data.amountCents() : data.totalCents();
    return new LedgerUpdate(data.orderId(), eventId, eventType, occurredAt, status, failure,
        amount, amount != null ? data.currency() : null,
        "NotificationSent".equals(eventType) ? data.outcome() : null,
        "OrderPlaced".equals(eventType) ? occurredAt : null, null);
  }
}
