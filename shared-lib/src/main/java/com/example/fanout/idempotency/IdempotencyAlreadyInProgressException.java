package com.example.fanout.idempotency;

/** Another execution holds the key and has not finished or expired; retry later. */
public class IdempotencyAlreadyInProgressException extends RuntimeException {
  public IdempotencyAlreadyInProgressException(String message) {
    super(message);
  }

  public IdempotencyAlreadyInProgressException(String message, Throwable cause) {
    super(message, cause);
  }
}
