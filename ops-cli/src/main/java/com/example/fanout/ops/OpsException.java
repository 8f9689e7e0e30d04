package com.example.fanout.ops;

/** A command could not do what it was asked; the message tells the responder what to do instead. */
public final class OpsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public OpsException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
