package com.example.orders.domain.outbox;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events each write added to an item's outbox: those in the new image but not in the
 * old one. A MODIFY that changes something else (the status projection) or only removes entries
 * (the relay's own clean-up) publishes nothing. Ids are stored with the events, so a retried record
 * publishes the same ids and consumers' deduplication makes delivery exactly once in effect.
 *
 * <p>Records are handled in stream order. At the first record not fully published the relay stops
 * and reports it and every later record, so the stream retries from there and order per item holds.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  private final EventSink sink;
  private final OutboxCleaner cleaner;

  public OutboxRelay(EventSink sink, OutboxCleaner cleaner) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.cleaner = Objects.requireNonNull(cleaner, "cleaner");
  }

  /** Entries added by this change, oldest first. */
  public static List<Envelope> added(OutboxChange change) {
    if ("REMOVE".equals(change.eventName())) {
      return List.of();
    }
    List<Envelope> events = new ArrayList<>();
    for (Map.Entry<String, String> entry : change.newOutbox().entrySet()) {
      if (!change.oldOutbox().containsKey(entry.getKey())) {
        events.add(EventJson.readEnvelope(entry.getValue()));
      }
    }
    events.sort(Comparator.comparing(Envelope::occurredAt).thenComparing(Envelope::id));
    return events;
  }

  /** @return the sequence numbers to report as batch item failures, empty when all went out */
  public List<String> relay(List<OutboxChange> changes) {
    for (int i = 0; i < changes.size(); i++) {
      OutboxChange change = changes.get(i);
      if (!publish(change)) {
        return changes.subList(i, changes.size()).stream().map(OutboxChange::sequenceNumber).toList();
      }
    }
    return List.of();
  }

  private boolean publish(OutboxChange change) {
    List<Envelope> events;
    try {
      events = added(change);
    } catch (RuntimeException e) {
      LOG.error("outbox of {} holds an unreadable event (record {}): {}", change.key(), change.sequenceNumber(), e.getMessage(), e);
      return false;
    }
    if (events.isEmpty()) {
      return true;
    }
    Set<String> published;
    try {
      published = sink.publish(events, change.traceHeader());
    } catch (RuntimeException e) {
      LOG.warn("publishing the outbox of {} failed (record {}), the stream will retry: {}", change.key(), change.sequenceNumber(), e.toString());
      return false;
    }
    List<String> ids = events.stream().map(Envelope::id).toList();
    if (!published.containsAll(ids)) {
      LOG.warn("{} of {} outbox events of {} were not published (record {}), the stream will retry",
          ids.stream().filter(id -> !published.contains(id)).count(), ids.size(), change.key(), change.sequenceNumber());
      return false;
    }
    try {
      cleaner.remove(change.key(), ids);
    } catch (RuntimeException e) {
      LOG.warn("could not clear published outbox entries of {} (harmless, they will not be sent again): {}", change.key(), e.toString());
    }
    return true;
  }
}
