package com.example.notifications.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The notifications table in memory, with the adapter's conditions. */
public final class InMemoryNotificationLog implements NotificationLog {
  record Item(String state, String token, Instant leaseExpiresAt, String messageId) {}

  public final Map<String, Item> items = new HashMap<>();

  @Override
  public synchronized Claim claim(String key, String token, Instant now, Duration lease) {
    Item item = items.get(key);
    if (item == null || ("SENDING".equals(item.state()) && item.leaseExpiresAt().isBefore(now))) {
      items.put(key, new Item("SENDING", token, now.plus(lease), null));
      return new Claim.Claimed();
    }
    return "SENT".equals(item.state()) ? new Claim.AlreadySent(item.messageId()) : new Claim.InFlight(item.leaseExpiresAt());
  }

  @Override
  public synchronized void release(String key, String token) {
    Item item = items.get(key);
    if (item != null && token.equals(item.token()) && "SENDING".equals(item.state())) {
      items.remove(key);
    }
  }

  @Override
  public synchronized boolean markSent(String key, String token, String messageId, Instant at) {
    Item item = items.get(key);
    if (item == null || !token.equals(item.token())) {
      return false;
    }
    items.put(key, new Item("SENT", token, null, messageId));
    return true;
  }
}
