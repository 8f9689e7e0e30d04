package com.example.orders.domain.outbox;

import java.util.Map;

/**
 * One stream record of the orders table, reduced to what the relay needs.
 *
 * @param sequenceNumber the record's stream sequence number (what a batch item failure names)
 * @param eventName      INSERT, MODIFY or REMOVE
 * @param key            the item's partition key
 * @param oldOutbox      event id to envelope JSON in the old image (empty for an INSERT)
 * @param newOutbox      event id to envelope JSON in the new image (empty for a REMOVE)
 * @param traceHeader    the X-Ray header of the write that added the events, or null
 */
public record OutboxChange(
    String sequenceNumber, String eventName, String key, Map<String, String> oldOutbox, Map<String, String> newOutbox,
    String traceHeader) {

  public OutboxChange {
    oldOutbox = Map.copyOf(oldOutbox);
    newOutbox = Map.copyOf(newOutbox);
  }

  public OutboxChange(String sequenceNumber, String eventName, String key, Map<String, String> oldOutbox,
      Map<String, String> newOutbox) {
    this(sequenceNumber, eventName, key, oldOutbox, newOutbox, null);
  }
}
