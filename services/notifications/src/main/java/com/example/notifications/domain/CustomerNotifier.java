package com.example.notifications.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Sends one notification per order and outcome, <b>at least once</b>:
 * <ol>
 *   <li>claim {@code <orderId>#<OUTCOME>} with a lease (conditional put);
 *   <li>send;
 *   <li>record SENT with the message id (conditional on still holding the claim).
 * </ol>
 * A send that fails releases the claim (conditional delete) and throws, so the SQS retry sends. A
 * crash between send and record leaves the claim to expire; the next retry after the lease sends
 * again. That is the one window for a duplicate e-mail, chosen over at-most-once (mark first, then
 * send), whose crash window loses the e-mail: a customer whose payment failed must hear about it,
 * and a rare second copy of the same message is harmless. A delivery that finds the key SENT does not
 * send; it re-emits NotificationSent with the stored message id.
 *
 * <p>The lease must outlast one send (seconds) and stay below the queue's visibility timeout so a
 * retry after a crash can take over: {@link #DEFAULT_LEASE} is 60 s against 120 s.
 */
public final class CustomerNotifier {
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

  private final NotificationLog log;
  private final NotificationSender sender;
  private final Clock clock;
  private final Duration lease;

  public CustomerNotifier(NotificationLog log, NotificationSender sender, Clock clock, Duration lease) {
    this.log = Objects.requireNonNull(log, "log");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
  }

  public NotificationSent notify(Notification notification) {
    String key = notification.key();
    String token = UUID.randomUUID().toString();
    switch (log.claim(key, token, clock.instant(), lease)) {
      case NotificationLog.Claim.AlreadySent sent -> {
        return sent(notification, sent.messageId());
      }
      case NotificationLog.Claim.InFlight inFlight ->
          throw new NotificationInFlightException(key + " is being sent by another attempt until " + inFlight.leaseExpiresAt());
      case NotificationLog.Claim.Claimed claimed -> {
        // fall through to send
      }
    }
    String messageId;
    try {
      messageId = sender.send(notification);
    } catch (RuntimeException e) {
      log.release(key, token);
      throw e;
    }
    log.markSent(key, token, messageId, clock.instant());
    return sent(notification, messageId);
  }

  private static NotificationSent sent(Notification n, String messageId) {
    return new NotificationSent(n.orderId(), n.outcome(), NotificationSent.EMAIL, messageId);
  }
}
