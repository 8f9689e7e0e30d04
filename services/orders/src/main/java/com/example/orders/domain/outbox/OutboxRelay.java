package com.example.orders.domain.outbox;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /**
   * Publishes the events of every change in one call to the sink (which packs them into as few
   * PutEvents calls as the limits allow), then clears what went out.
   *
   * @return the sequence numbers to report as batch item failures, empty when all went out: the
   *         first change not fully published (or unreadable) and every later one, since a stream
   *         retries from its first failure and order per item must hold
   */
  public List<String> relay(List<OutboxChange> changes) {
    List<List<Envelope>> added = new ArrayList<>();
    for (OutboxChange change : changes) {
      try {
        added.add(added(change));
      } catch (RuntimeException e) {
        LOG.error("outbox of {} holds an unreadable event (record {}): {}", change.key(), change.sequenceNumber(), e.getMessage(), e);
        break;
      }
    }
    Map<String, String> traceHeaders = new HashMap<>();
    for (int i = 0; i < added.size(); i++) {
      String header = changes.get(i).traceHeader();
      if (header != null) {
        added.get(i).forEach(event -> traceHeaders.put(event.id(), header));
      }
    }
    Set<String> published = publish(added.stream().flatMap(List::stream).toList(), traceHeaders);
    int firstFailed = added.size();
    Map<String, List<String>> toClear = new LinkedHashMap<>();
    for (int i = 0; i < added.size(); i++) {
      List<String> ids = added.get(i).stream().map(Envelope::id).toList();
      if (!published.containsAll(ids)) {
        OutboxChange change = changes.get(i);
        LOG.warn("{} of {} outbox events of {} were not published (record {}), the stream will retry from it",
            ids.stream().filter(id -> !published.contains(id)).count(), ids.size(), change.key(), change.sequenceNumber());
        firstFailed = i;
        break;
      }
      if (!ids.isEmpty()) {
        toClear.computeIfAbsent(changes.get(i).key(), k -> new ArrayList<>()).addAll(ids);
      }
    }
    toClear.forEach(this::clear);
    return changes.subList(firstFailed, changes.size()).stream().map(OutboxChange::sequenceNumber).toList();
  }

  private Set<String> publish(List<Envelope> events, Map<String, String> traceHeaders) {
    if (events.isEmpty()) {
      return Set.of();
    }
    try {
      return sink.publish(events, traceHeaders);
    } catch (RuntimeException e) {
      LOG.warn("publishing {} outbox events failed, the stream will retry: {}", events.size(), e.toString());
      return Set.of();
    }
  }

  private void clear(String key, List<String> ids) {
    try {
      cleaner.remove(key, ids);
    } catch (RuntimeException e) {
      LOG.warn("could not clear published outbox entries of {} (harmless, they will not be sent again): {}", key, e.toString());
    }
  }
}
