package com.example.reporting.domain;

/**
 * The fields the ledger reads from any order event's data (each event has some of them; the rest are
 * null): OrderPlaced's {@code totalCents}, the {@code amountCents} of InventoryReserved,
 * PaymentAuthorized and PaymentFailed, PaymentFailed's {@code reason}, NotificationSent's {@code outcome}.
 */
public record LedgerData(String orderId, Long totalCents, Long amountCents, String currency, String reason,
    String outcome, String customerId) {}
