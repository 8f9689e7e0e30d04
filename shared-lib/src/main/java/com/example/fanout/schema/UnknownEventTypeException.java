package com.example.fanout.schema;

/** No manifest publishes the event's type, or its version has no schema file. */
public class UnknownEventTypeException extends RuntimeException {
  public UnknownEventTypeException(String message) {
    super(message);
  }
}
