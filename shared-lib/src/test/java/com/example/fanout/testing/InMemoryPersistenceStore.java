package com.example.fanout.testing;

import com.example.fanout.idempotency.BasePersistenceStore;
import com.example.fanout.idempotency.DataRecord;
import com.example.fanout.idempotency.IdempotencyConfig;
import com.example.fanout.idempotency.IdempotencyItemAlreadyExistsException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The idempotency store's contract in a map, for tests that are not about DynamoDB. */
public final class InMemoryPersistenceStore extends BasePersistenceStore {
  private final Map<String, DataRecord> records = new ConcurrentHashMap<>();

  public InMemoryPersistenceStore() {
    super(IdempotencyConfig.defaults(), Clock.systemUTC());
  }

  @Override
  protected void putRecord(DataRecord record, Instant now) {
    records.compute(record.idempotencyKey(), (key, existing) -> {
      boolean free = existing == null || existing.isExpired(now)
          || (existing.status() == DataRecord.Status.INPROGRESS && existing.inProgressExpiryTimestamp() != null
              && existing.inProgressExpiryTimestamp() < now.toEpochMilli());
      if (!free) {
        throw new IdempotencyItemAlreadyExistsException("a live idempotency record holds " + key);
      }
      return record;
    });
  }

  /** Epoch millis until which the key's INPROGRESS claim holds. */
  public long inProgressExpiry(String key) {
    return records.get(key).inProgressExpiryTimestamp();
  }

  @Override
  protected Optional<DataRecord> readRecord(String key) {
    return Optional.ofNullable(records.get(key));
  }

  @Override
  protected void updateRecord(DataRecord record) {
    records.put(record.idempotencyKey(), record);
  }

  @Override
  protected void removeRecord(String key) {
    records.remove(key);
  }
}
