package com.example.reporting.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/** One order's ledger entry as read back. Fields an order has not reached yet are null. */
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
    String stuckReportedFor) {

  public LedgerEntry {
    notified = notified == null ? Set.of() : Set.copyOf(notified);
  }

  /** The UTC day the order belongs to in reports: when it was placed, else when the ledger first saw it. */
  public LocalDate day() {
    Instant at = placedAt != null ? placedAt : firstSeenAt;
    return at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
