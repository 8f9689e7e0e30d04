package com.example.orders.domain.outbox;

import com.example.fanout.event.Envelope;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where the relay sends outbox events (the platform bus). */
public interface EventSink {
  /**
   * Publishes the events; returns the ids that were accepted. An event missing from the result was
   * not published and will be offered again.
   */
  Set<String> publish(List<Envelope> events);

  /**
   * Publishes the events, each in the trace its id maps to (an event not in the map: this thread's
   * trace, if any), so the writes of many requests relayed together each stay in their own trace.
   */
  default Set<String> publish(List<Envelope> events, Map<String, String> traceHeaderByEventId) {
    return publish(events);
  }
}
