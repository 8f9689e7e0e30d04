package com.example.reporting.domain;

/** An order the watchdog flags, with the event it is stuck after (the SagaStuck's cause). */
public record StuckOrder(String orderId, String lastEventId, SagaStuck event) {}
