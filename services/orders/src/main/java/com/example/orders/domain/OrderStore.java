package com.example.orders.domain;

import com.example.fanout.event.Envelope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where orders live: one item per order, each state change one conditional single-item write. */
public interface OrderStore {

  /**
   * Writes the order and the events it causes (its outbox) in one conditional write that succeeds
   * only if no order has this id yet.
   *
   * @return true if written, false if an order with this id already exists (nothing was changed)
   */
  boolean create(Order order, List<Envelope> outbox);

  /** The order, read consistently, or empty. */
  Optional<Order> find(String orderId);

  /**
   * Moves the order to {@code status} if it ranks above the current status and {@code change.at()}
   * is not older than the last event applied; appends {@code change} to the history and clears the
   * stuck flag in the same write.
   */
  ProjectionOutcome applyStatus(String orderId, OrderStatus status, StatusChange change);

  /**
   * Flags the order as stuck, unless it already is, is in a terminal status, or made progress after
   * {@code lastProgressSeen} (the stuck report is then stale). Never touches the status.
   */
  ProjectionOutcome markStuck(String orderId, StatusChange change, Instant lastProgressSeen);
}
