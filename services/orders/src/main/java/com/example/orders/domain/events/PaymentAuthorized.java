package com.example.orders.domain.events;

import java.util.List;

/** {@code PaymentAuthorized} v1 data ({@code services/payments/schemas/PaymentAuthorized.v1.json}). */
public record PaymentAuthorized(
    String orderId,
    String paymentId,
    String customerId,
    String customerEmail,
    List<ReservedItem> items,
    long amountCents,
    String currency) {}
