package com.example.fanout.local.alarms;

import java.time.Instant;

/**
 * An alarm changed state at {@code at} (the end of the period evaluated, local clock), for
 * {@code reason}; {@code observedAt} is the wall-clock time the runtime saw it (spans use that clock).
 */
public record AlarmTransition(String alarm, String kind, AlarmState from, AlarmState to, Instant at, String reason,
    String runbook, Instant observedAt) {

  @Override
  public String toString() {
    return at + " " + alarm + " " + from + " -> " + to + ": " + reason + " (" + runbook + ")";
  }
}
