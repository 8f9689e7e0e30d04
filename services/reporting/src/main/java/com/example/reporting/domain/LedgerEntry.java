package com.example.reporting.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * One order's ledger entry as read back. Fields an order has not reached yet are null.
 * {@code recordedAt} is when the ledger last applied an event of the order, and {@code recordedLag}
 * how long after that event's occurredAt (null for entries written before the ledger kept them).
 */
public record LedgerEntry(
    String orderId,
    OrderStatus status,
    String failureReason,
    String lastEventType,
    String lastEventId,
    Instant lastEventAt,
    Long amountCents,
    String currency,
    Set<String> notified,
    Instant placedAt,
    Instant firstSeenAt,
    String stuckReportedFor,
    Instant recordedAt,
    Duration recordedLag) {

  public LedgerEntry {
    notified = notified == null ? Set.of() : Set.copyOf(notified);
  }

  /** The UTC day the order belongs to in reports: when it was placed, else when the ledger first saw it. */
  public LocalDate day() {
    Instant at = placedAt != null ? placedAt : firstSeenAt;
    return at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
