package com.example.fanout.idempotency;

import com.example.fanout.event.EventJson;
import com.example.fanout.event.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The idempotency algorithm's view of storage: expiry, payload hashing and validation live here; a
 * subclass only maps {@link DataRecord}s to its store and makes {@link #putRecord} conditional.
 */
public abstract class BasePersistenceStore {
  private final IdempotencyConfig config;
  private final Clock clock;

  protected BasePersistenceStore(IdempotencyConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * Claims the key for one execution.
   *
   * @param remainingMillis time the current execution has left; after it the claim lapses
   * @throws IdempotencyItemAlreadyExistsException if a live record holds the key
   */
  public final void saveInProgress(String key, String payloadHash, long remainingMillis) {
    Instant now = clock.instant();
    putRecord(new DataRecord(key, DataRecord.Status.INPROGRESS, expiry(now), null, payloadHash,
        now.toEpochMilli() + remainingMillis), now);
  }

  /** Marks the execution done and stores its result, restarting the record's expiry. */
  public final void saveSuccess(String key, String payloadHash, String responseData) {
    updateRecord(new DataRecord(key, DataRecord.Status.COMPLETED, expiry(clock.instant()), responseData, payloadHash, null));
  }

  /**
   * The record holding the key, checked against the payload it was first used with.
   *
   * @throws IdempotencyValidationException if the record was written for a different payload
   */
  public final Optional<DataRecord> getRecord(String key, String payloadHash) {
    Optional<DataRecord> record = readRecord(key);
    record.ifPresent(r -> validate(r, payloadHash));
    return record;
  }

  /**
   * Checks a record the store returned (with a failed claim, or read) against the payload.
   *
   * @throws IdempotencyValidationException if the record was written for a different payload
   */
  public final DataRecord validate(DataRecord r, String payloadHash) {
    if (r.payloadHash() != null && !r.payloadHash().equals(payloadHash)) {
      throw new IdempotencyValidationException("idempotency key " + r.idempotencyKey()
          + " was first used with a payload of hash " + r.payloadHash() + ", now with " + payloadHash
          + ": the same event id carries different data");
    }
    return r;
  }

  /** Whether the claim's condition would let a new execution take this record over now. */
  public final boolean isFree(DataRecord r) {
    Instant now = clock.instant();
    return r.isExpired(now) || (r.status() == DataRecord.Status.INPROGRESS
        && r.inProgressExpiryTimestamp() != null && r.inProgressExpiryTimestamp() < now.toEpochMilli());
  }

  /** Releases the key after a failed execution, so a retry runs again. */
  public final void deleteRecord(String key) {
    removeRecord(key);
  }

  public final Instant now() {
    return clock.instant();
  }

  /** SHA-256 of the payload's canonical JSON (object keys sorted), in hex. */
  public static String hash(JsonNode payload) {
    return Sha256.hex(EventJson.canonical(payload));
  }

  private long expiry(Instant now) {
    return now.plus(config.expiry()).getEpochSecond();
  }

  /**
   * Writes the record unless a live one holds its key: absent, expired ({@code expiration < now}),
   * or INPROGRESS with {@code in_progress_expiration < now} in millis.
   *
   * @throws IdempotencyItemAlreadyExistsException if the condition fails
   */
  protected abstract void putRecord(DataRecord record, Instant now);

  protected abstract Optional<DataRecord> readRecord(String key);

  protected abstract void updateRecord(DataRecord record);

  protected abstract void removeRecord(String key);
}
