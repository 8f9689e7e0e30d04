package com.example.orders.domain;

import com.example.fanout.event.Envelope;
import com.example.orders.domain.events.SagaStuck;
import java.util.Objects;

/**
 * Keeps each order's {@code status} in step with the saga's events. Safe under duplicates and any
 * delivery order: the store applies an event only when its status outranks the current one and it
 * is not older than the last event applied; a SagaStuck event only raises the {@code stuck} flag.
 */
public final class StatusProjection {
  public static final String STUCK = "STUCK";

  private final OrderStore store;

  public StatusProjection(OrderStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Applies a status-changing event ({@link OrderStatus#causedBy}) about {@code orderId}. */
  public ProjectionOutcome apply(Envelope event, String orderId) {
    OrderStatus status = OrderStatus.causedBy(event.type());
    if (status == null) {
      throw new IllegalArgumentException(event.type() + " does not change an order's status");
    }
    return store.applyStatus(orderId, status, new StatusChange(status.name(), event.type(), event.id(), event.occurredAt()));
  }

  /** Flags the order stuck, unless the report is stale (the order moved after {@code lastEventAt}). */
  public ProjectionOutcome stuck(Envelope event, SagaStuck data) {
    return store.markStuck(data.orderId(), new StatusChange(STUCK, event.type(), event.id(), event.occurredAt()),
        data.lastEventAt());
  }
}
