package com.example.reporting.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** Keeps the per-order ledger from the saga's events. */
public final class OrderLedger {
  private final LedgerStore store;
  private final Clock clock;

  public OrderLedger(LedgerStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Returns false when the event was stale or a duplicate (nothing about the order's progress changed). */
  public boolean record(String eventId, String eventType, Instant occurredAt, LedgerData data) {
    return store.apply(LedgerUpdate.of(eventId, eventType, occurredAt, data).recordedAt(clock.instant()));
  }
}
