package com.example.notifications.domain;

/** Another attempt is sending this notification now: the message is retried later (transient). */
public class NotificationInFlightException extends RuntimeException {
  public NotificationInFlightException(String message) {
    super(message);
  }
}
