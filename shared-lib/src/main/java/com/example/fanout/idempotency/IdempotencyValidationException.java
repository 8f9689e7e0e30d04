package com.example.fanout.idempotency;

/** The key was first used with a different payload: the same event id carries other data, which retrying cannot fix. */
public class IdempotencyValidationException extends RuntimeException {
  public IdempotencyValidationException(String message) {
    super(message);
  }

  public IdempotencyValidationException(String message, Throwable cause) {
    super(message, cause);
  }
}
