package com.example.reporting.domain;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The ledger in memory, with the adapter's staleness rules. */
public final class InMemoryLedgerStore implements LedgerStore {
  private static final class Row {
    OrderStatus status;
    String failureReason;
    Instant statusAt;
    String lastEventType;
    String lastEventId;
    Instant lastEventAt;
    Long amountCents;
    String currency;
    final Set<String> notified = new HashSet<>();
    Instant placedAt;
    Instant firstSeenAt;
    String stuckReportedFor;
    Instant recordedAt;
    java.time.Duration recordedLag;
  }

  private final Map<String, Row> rows = new TreeMap<>();

  @Override
  public synchronized boolean apply(LedgerUpdate u) {
    Row r = rows.computeIfAbsent(u.orderId(), k -> new Row());
    if (r.firstSeenAt == null) {
      r.firstSeenAt = u.occurredAt();
    }
    if (r.amountCents == null && u.amountCents() != null) {
      r.amountCents = u.amountCents();
    }
    if (r.currency == null && u.currency() != null) {
      r.currency = u.currency();
    }
    if (u.placedAt() != null) {
      r.placedAt = u.placedAt();
    }
    if (u.notified() != null) {
      r.notified.add(u.notified());
    }
    if (u.recordedAt() != null) {
      r.recordedAt = u.recordedAt();
      r.recordedLag = java.time.Duration.between(u.occurredAt(), u.recordedAt());
    }
    boolean changed = false;
    if (u.status() != null && (r.statusAt == null || r.statusAt.isBefore(u.occurredAt()))) {
      r.status = u.status();
      r.statusAt = u.occurredAt();
      if (u.failureReason() != null) {
        r.failureReason = u.failureReason();
      }
      changed = true;
    }
    if (r.lastEventAt == null || r.lastEventAt.isBefore(u.occurredAt())) {
      r.lastEventType = u.eventType();
      r.lastEventId = u.eventId();
      r.lastEventAt = u.occurredAt();
      changed = true;
    }
    return changed;
  }

  @Override
  public synchronized Stream<LedgerEntry> scan() {
    return rows.entrySet().stream().map(e -> {
      Row r = e.getValue();
      return new LedgerEntry(e.getKey(), r.status, r.failureReason, r.lastEventType, r.lastEventId, r.lastEventAt,
          r.amountCents, r.currency, r.notified, r.placedAt, r.firstSeenAt, r.stuckReportedFor, r.recordedAt, r.recordedLag);
    }).toList().stream();
  }

  @Override
  public synchronized void markStuckReported(String orderId, String lastEventId) {
    Row r = rows.get(orderId);
    if (r != null && lastEventId.equals(r.lastEventId)) {
      r.stuckReportedFor = lastEventId;
    }
  }

  public LedgerEntry entry(String orderId) {
    return scan().filter(e -> e.orderId().equals(orderId)).findFirst().orElseThrow();
  }
}
