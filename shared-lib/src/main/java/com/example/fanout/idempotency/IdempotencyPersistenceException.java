package com.example.fanout.idempotency;

/** The store failed for a reason other than the condition (throttling, network): transient. */
public class IdempotencyPersistenceException extends RuntimeException {
  public IdempotencyPersistenceException(String message) {
    super(message);
  }

  public IdempotencyPersistenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
