package com.example.orders.domain.outbox;

import com.example.fanout.event.Envelope;
import java.util.List;
import java.util.Set;

/** Where the relay sends outbox events (the platform bus). */
public interface EventSink {
  /**
   * Publishes the events; returns the ids that were accepted. An event missing from the result was
   * not published and will be offered again.
   */
  Set<String> publish(List<Envelope> events);

  /** Publishes the events in the trace {@code traceHeader} names (null: this thread's, if any). */
  default Set<String> publish(List<Envelope> events, String traceHeader) {
    return publish(events);
  }
}
