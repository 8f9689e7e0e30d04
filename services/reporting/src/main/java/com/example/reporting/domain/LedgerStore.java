package com.example.reporting.domain;

import java.util.stream.Stream;

/** The ledger table: one entry per order. */
public interface LedgerStore {
  /**
   * Applies one event. Fields describing the order's progress (status, failure reason, last event)
   * change only if the event is newer ({@code occurredAt}) than what they already reflect, so a late
   * or re-delivered event never moves an order back. Returns false if the event changed no progress
   * field (stale or duplicate).
   */
  boolean apply(LedgerUpdate update);

  /** Every entry (a paginated scan). */
  Stream<LedgerEntry> scan();

  /** Notes that SagaStuck was emitted for the order at this last event, unless the order moved on meanwhile. */
  void markStuckReported(String orderId, String lastEventId);
}
