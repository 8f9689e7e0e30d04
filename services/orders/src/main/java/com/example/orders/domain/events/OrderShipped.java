package com.example.orders.domain.events;

/** {@code OrderShipped} v1 data ({@code services/fulfillment/schemas/OrderShipped.v1.json}). */
public record OrderShipped(
    String orderId,
    String shipmentId,
    String carrier,
    String trackingNumber,
    String customerId,
    String customerEmail) {}
