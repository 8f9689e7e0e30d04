package com.example.orders.domain;

import java.time.Instant;

/**
 * One entry of an order's status history.
 *
 * @param status    the status the order moved to ({@code STUCK} entries record a SagaStuck flag)
 * @param eventType the event that moved it
 * @param eventId   that event's id
 * @param at        when the event occurred
 */
public record StatusChange(String status, String eventType, String eventId, Instant at) {}
