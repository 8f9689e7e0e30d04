package com.example.reporting.domain;

import java.time.Instant;

/** The data of SagaStuck v1. */
public record SagaStuck(String orderId, String lastStatus, String lastEventType, Instant lastEventAt, long stuckForSeconds) {}
