package com.example.orders.domain.imports;

import java.time.Instant;

/**
 * What one import run did, written to {@code processed/<key>.summary.json}.
 *
 * @param orderLines      non-blank lines that describe an order (the CSV header excluded)
 * @param created         orders written by this run
 * @param alreadyImported lines whose order an earlier run of the same object already wrote
 * @param rejected        lines that became no order (listed in the rejects file)
 */
public record ImportSummary(
    String bucket,
    String key,
    String format,
    long orderLines,
    long created,
    long alreadyImported,
    long rejected,
    String rejectsKey,
    Instant startedAt,
    Instant finishedAt) {}
