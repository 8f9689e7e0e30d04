package com.example.fanout.local.eventbridge;

/** A whole {@code PutEvents} request refused (HTTP 400, {@code ValidationException}). */
public final class PutEventsValidationException extends RuntimeException {
  public PutEventsValidationException(String message) {
    super(message);
  }
}
