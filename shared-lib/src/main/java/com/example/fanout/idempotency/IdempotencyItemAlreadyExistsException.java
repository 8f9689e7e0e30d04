package com.example.fanout.idempotency;

/** The conditional write found a live record for the key (the store's signal to the algorithm). */
public class IdempotencyItemAlreadyExistsException extends RuntimeException {
  public IdempotencyItemAlreadyExistsException(String message) {
    super(message);
  }

  public IdempotencyItemAlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
