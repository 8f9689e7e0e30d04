package com.example.orders.domain;

import java.time.Instant;
import java.util.List;

/**
 * An order as stored.
 *
 * @param idempotencyKey     the POST's {@code Idempotency-Key}, or null
 * @param requestFingerprint hash of the POST body (canonical JSON) that created it, or null
 * @param createdResponse    the exact 201 body, replayed for a retried POST with the same key
 * @param source             where an imported order came from ({@code s3://bucket/key#line}), or null
 */
public record Order(
    String id,
    String customerId,
    String customerEmail,
    String channel,
    List<OrderLine> items,
    long totalCents,
    String currency,
    String paymentToken,
    String orderRef,
    OrderStatus status,
    boolean stuck,
    Instant createdAt,
    Instant updatedAt,
    List<StatusChange> statusHistory,
    String idempotencyKey,
    String requestFingerprint,
    String createdResponse,
    String source) {

  public Order {
    items = List.copyOf(items);
    statusHistory = List.copyOf(statusHistory);
  }

  public Order withCreatedResponse(String body) {
    return new Order(id, customerId, customerEmail, channel, items, totalCents, currency, paymentToken, orderRef,
        status, stuck, createdAt, updatedAt, statusHistory, idempotencyKey, requestFingerprint, body, source);
  }
}
