package com.example.fanout.idempotency;

/**
 * The record changed between the failed claim and the read that followed, again and again (another
 * execution released or replaced it each time): transient, the message is retried later.
 */
public class IdempotencyInconsistentStateException extends RuntimeException {
  public IdempotencyInconsistentStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
