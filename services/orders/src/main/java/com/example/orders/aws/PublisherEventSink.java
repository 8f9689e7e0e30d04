package com.example.orders.aws;

import com.example.fanout.event.Envelope;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.publish.PublishResult;
import com.example.orders.domain.outbox.EventSink;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The platform bus through the shared {@link EventPublisher} (schema check, packing, retries). */
public final class PublisherEventSink implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(PublisherEventSink.class);

  private final EventPublisher publisher;

  public PublisherEventSink(EventPublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  @Override
  public Set<String> publish(List<Envelope> events) {
    return publish(events, Map.of());
  }

  @Override
  public Set<String> publish(List<Envelope> events, Map<String, String> traceHeaderByEventId) {
    PublishResult result = publisher.publish(events, traceHeaderByEventId);
    result.failed().forEach(f -> LOG.warn("event {} ({}) was not published: {} {}",
        f.event().id(), f.event().type(), f.errorCode(), f.errorMessage()));
    return new HashSet<>(result.publishedIds());
  }
}
