package com.example.fanout.idempotency.internal;

import com.example.fanout.idempotency.BasePersistenceStore;
import com.example.fanout.idempotency.DataRecord;
import com.example.fanout.idempotency.IdempotencyAlreadyInProgressException;
import com.example.fanout.idempotency.IdempotencyInconsistentStateException;
import com.example.fanout.idempotency.IdempotencyItemAlreadyExistsException;
import com.example.fanout.runtime.InternalApi;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs a body at most once per key (as Powertools' {@code IdempotencyHandler}): claim the key
 * INPROGRESS, run, store the result COMPLETED; a later call with the key gets the stored result
 * back instead of running again. A failed body releases the key.
 */
@InternalApi
public final class IdempotencyHandler {
  /** Claims tried when the record changes between the failed claim and the read (released, expired). */
  static final int MAX_CLAIM_ATTEMPTS = 3;

  private final BasePersistenceStore store;

  public IdempotencyHandler(BasePersistenceStore store) {
    this.store = store;
  }

  /** The body's result, or the stored one with {@code duplicate = true}. */
  public record Result(String data, boolean duplicate) {}

  public Result run(String key, String payloadHash, long remainingMillis, Callable<String> body) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        store.saveInProgress(key, payloadHash, remainingMillis);
        break;
      } catch (IdempotencyItemAlreadyExistsException taken) {
        // With ALL_OLD the store hands back the record that failed the condition: no read needed.
        Optional<DataRecord> existing = taken.dataRecord().map(r -> store.validate(r, payloadHash))
            .or(() -> store.getRecord(key, payloadHash));
        if (existing.isEmpty() || store.isFree(existing.get())) {
          // Released or lapsed between our put and the read: the claim can succeed now.
          if (attempt < MAX_CLAIM_ATTEMPTS) {
            continue;
          }
          throw new IdempotencyInconsistentStateException("idempotency record " + key + " changed between claim and read "
              + MAX_CLAIM_ATTEMPTS + " times; retry later", taken);
        }
        DataRecord record = existing.get();
        if (record.status() == DataRecord.Status.COMPLETED) {
          return new Result(record.responseData(), true);
        }
        throw new IdempotencyAlreadyInProgressException("another execution is processing " + key
            + " (in progress until epoch millis " + record.inProgressExpiryTimestamp() + ")");
      }
    }
    String data;
    try {
      data = body.call();
    } catch (Exception | Error failure) {
      try {
        store.deleteRecord(key);
      } catch (RuntimeException release) {
        failure.addSuppressed(release);
      }
      throw failure;
    }
    store.saveSuccess(key, payloadHash, data);
    return new Result(data, false);
  }
}
