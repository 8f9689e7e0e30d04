package com.example.fanout.idempotency;

import java.time.Instant;

/**
 * One idempotency record, laid out as Powertools' DynamoDB store lays it out: {@code id},
 * {@code expiration} (epoch seconds, the table's TTL attribute), {@code status},
 * {@code data} (the stored result), {@code in_progress_expiration} (epoch millis) and
 * {@code validation} (hash of the payload the key was first used with).
 *
 * @param inProgressExpiryTimestamp epoch millis after which an INPROGRESS record may be taken over, or null
 */
public record DataRecord(
    String idempotencyKey,
    Status status,
    long expiryTimestamp,
    String responseData,
    String payloadHash,
    Long inProgressExpiryTimestamp) {

  public enum Status {
    INPROGRESS,
    COMPLETED
  }

  public boolean isExpired(Instant now) {
    return expiryTimestamp != 0 && now.getEpochSecond() > expiryTimestamp;
  }
}
