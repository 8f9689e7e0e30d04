package com.example.notifications.domain;

/** Delivers a notification; returns the delivery's message id. Throws when it was not accepted. */
public interface NotificationSender {
  String send(Notification notification);
}
