package com.example.notifications.domain;

/** The channel refused this notification for good (e.g. an invalid recipient): retrying cannot help. */
public class NotificationRejectedException extends RuntimeException {
  public NotificationRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
