package com.example.fanout.event;

/** The message is not a well-formed platform envelope; retrying cannot fix it. */
public class InvalidEnvelopeException extends IllegalArgumentException {
  public InvalidEnvelopeException(String message) {
    super("invalid envelope: " + message);
  }

  public InvalidEnvelopeException(String message, Throwable cause) {
    super("invalid envelope: " + message, cause);
  }
}
