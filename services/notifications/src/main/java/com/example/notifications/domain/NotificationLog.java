package com.example.notifications.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The notifications table: one item per {@code <orderId>#<OUTCOME>}, claimed before sending
 * ({@code SENDING} with a lease), then {@code SENT} with the message id. Every call is one
 * conditional single-item write.
 */
public interface NotificationLog {
  /** Claims the key for one send attempt, unless it was sent or another attempt holds an unexpired lease. */
  Claim claim(String key, String token, Instant now, Duration lease);

  /** Gives the claim up after a failed send, so the retry sends (only if {@code token} still holds it). */
  void release(String key, String token);

  /** Records the send; false if the claim was lost meanwhile (the lease expired and another attempt took it). */
  boolean markSent(String key, String token, String messageId, Instant at);

  sealed interface Claim {
    /** This attempt may send. */
    record Claimed() implements Claim {}

    /** Already sent: nothing to send, re-emit with this message id. */
    record AlreadySent(String messageId) implements Claim {}

    /** Another attempt is sending; retry after {@code leaseExpiresAt}. */
    record InFlight(Instant leaseExpiresAt) implements Claim {}
  }
}
