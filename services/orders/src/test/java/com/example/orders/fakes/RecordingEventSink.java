package com.example.orders.fakes;

import com.example.fanout.event.Envelope;
import com.example.orders.domain.outbox.EventSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Records what was published; events matching {@code refuse} are not accepted. */
public final class RecordingEventSink implements EventSink {
  public final List<Envelope> published = new ArrayList<>();
  /** Size of each publish call. */
  public final List<Integer> calls = new ArrayList<>();
  /** The trace headers the published events were given, each once, in order. */
  public final List<String> traceHeaders = new ArrayList<>();
  private Predicate<Envelope> refuse = e -> false;
  private RuntimeException failure;

  public RecordingEventSink refusing(Predicate<Envelope> refuse) {
    this.refuse = refuse;
    return this;
  }

  public RecordingEventSink failingWith(RuntimeException failure) {
    this.failure = failure;
    return this;
  }

  @Override
  public Set<String> publish(List<Envelope> events, Map<String, String> traceHeaderByEventId) {
    events.stream().map(e -> traceHeaderByEventId.get(e.id())).filter(h -> h != null && !traceHeaders.contains(h))
        .forEach(traceHeaders::add);
    return publish(events);
  }

  @Override
  public Set<String> publish(List<Envelope> events) {
    calls.add(events.size());
    if (failure != null) {
      throw failure;
    }
    Set<String> ids = new HashSet<>();
    for (Envelope e : events) {
      if (!refuse.test(e)) {
        published.add(e);
        ids.add(e.id());
      }
    }
    return ids;
  }
}
