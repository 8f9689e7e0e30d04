package com.example.fanout.local.sns;

/** A publish SNS refuses, with SNS's error code (e.g. {@code InvalidParameter}) and message. */
public final class SnsPublishException extends RuntimeException {
  private final String errorCode;

  public SnsPublishException(String errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  public String errorCode() {
    return errorCode;
  }
}
