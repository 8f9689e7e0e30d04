package com.example.fanout.local.eventbridge;

/** One {@code PutEvents} result entry: an event id, or an error code and message. */
public record EntryResult(String eventId, String errorCode, String errorMessage) {
  public static EntryResult accepted(String eventId) {
    return new EntryResult(eventId, null, null);
  }

  public static EntryResult failed(String errorCode, String errorMessage) {
    return new EntryResult(null, errorCode, errorMessage);
  }

  public boolean isFailure() {
    return errorCode != null;
  }
}
