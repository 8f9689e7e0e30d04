package com.example.notifications.domain;

/** The data of NotificationSent v1. */
public record NotificationSent(String orderId, Outcome outcome, String channel, String messageId) {
  public static final String EMAIL = "EMAIL";
}
