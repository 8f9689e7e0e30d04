package com.example.fanout.publish;

import java.util.List;

/**
 * Events refused before anything was sent: schema violations, or too large for the chain with no
 * claim-check store configured. Nothing of the call was published.
 */
public class EventRejectedException extends RuntimeException {
  private final List<String> reasons;

  public EventRejectedException(List<String> reasons) {
    super("rejected before sending, nothing published: " + String.join("; ", reasons));
    this.reasons = List.copyOf(reasons);
  }

  public List<String> reasons() {
    return reasons;
  }
}
