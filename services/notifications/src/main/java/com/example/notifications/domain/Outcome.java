package com.example.notifications.domain;

/** How an order ended, as NotificationSent's {@code outcome} enum says. */
public enum Outcome { SHIPPED, OUT_OF_STOCK, PAYMENT_FAILED }
