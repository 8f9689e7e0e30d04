package com.example.orders.domain.outbox;

import java.util.Collection;

/** Removes published entries from an item's outbox. */
public interface OutboxCleaner {
  /** Best effort: entries left behind are harmless (the relay publishes only entries that are new). */
  void remove(String key, Collection<String> eventIds);

  OutboxCleaner NONE = (key, ids) -> { };
}
