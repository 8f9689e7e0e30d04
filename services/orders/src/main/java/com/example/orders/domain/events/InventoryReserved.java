package com.example.orders.domain.events;

import java.util.List;

/** {@code InventoryReserved} v1 data ({@code services/inventory/schemas/InventoryReserved.v1.json}). */
public record InventoryReserved(
    String orderId,
    String reservationId,
    String customerId,
    String customerEmail,
    List<ReservedItem> items,
    long amountCents,
    String currency,
    String paymentToken) {}
