package com.example.orders.domain;

/** What a status-projection write did. */
public enum ProjectionOutcome {
  /** The order moved (or was flagged stuck) and the event was recorded in its history. */
  APPLIED,
  /** The event is a duplicate or older than what the order already shows: nothing changed. */
  IGNORED_STALE,
  /** No order has this id. */
  ORDER_NOT_FOUND
}
