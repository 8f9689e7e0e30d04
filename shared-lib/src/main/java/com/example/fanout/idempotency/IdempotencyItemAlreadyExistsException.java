package com.example.fanout.idempotency;

import java.util.Optional;

/**
 * The conditional write found a live record for the key (the store's signal to the algorithm). When
 * the store returned the record that failed the condition ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}),
 * it travels here and the algorithm needs no read.
 */
public class IdempotencyItemAlreadyExistsException extends RuntimeException {
  private final transient DataRecord existing;

  public IdempotencyItemAlreadyExistsException(String message) {
    this(message, null, null);
  }

  public IdempotencyItemAlreadyExistsException(String message, Throwable cause) {
    this(message, cause, null);
  }

  public IdempotencyItemAlreadyExistsException(String message, Throwable cause, DataRecord existing) {
    super(message, cause);
    this.existing = existing;
  }

  /** The record holding the key, if the store returned it with the failed condition. */
  public Optional<DataRecord> dataRecord() {
    return Optional.ofNullable(existing);
  }
}
