package com.example.fanout.consumer;

import java.util.Objects;

/**
 * Where a consumer registers its typed handlers, inside the call to its {@code super(...)} constructor:
 * registrations are complete when {@link EventConsumer}'s constructor returns, so they are compared
 * with the manifest then (ADR 0091).
 */
public final class Handlers {
  private final EventConsumer consumer;

  Handlers(EventConsumer consumer) {
    this.consumer = consumer;
  }

  /** Registers the handler of one event type; the event's data is bound to {@code dataType}. */
  public <T> Handlers on(String eventType, Class<T> dataType, EventHandler<T> handler) {
    consumer.register(Objects.requireNonNull(eventType, "eventType"), Objects.requireNonNull(dataType, "dataType"),
        Objects.requireNonNull(handler, "handler"));
    return this;
  }
}
