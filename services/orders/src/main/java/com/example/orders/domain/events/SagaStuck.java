package com.example.orders.domain.events;

import java.time.Instant;

/** {@code SagaStuck} v1 data ({@code services/reporting/schemas/SagaStuck.v1.json}). */
public record SagaStuck(
    String orderId,
    String lastStatus,
    String lastEventType,
    Instant lastEventAt,
    long stuckForSeconds) {}
