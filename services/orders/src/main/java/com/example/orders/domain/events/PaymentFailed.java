package com.example.orders.domain.events;

import java.util.List;

/** {@code PaymentFailed} v1 data ({@code services/payments/schemas/PaymentFailed.v1.json}). */
public record PaymentFailed(
    String orderId,
    String reason,
    String reservationId,
    String customerId,
    String customerEmail,
    List<ReservedItem> items,
    long amountCents,
    String currency) {}
