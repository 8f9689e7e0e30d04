package com.example.orders.fakes;

import com.example.fanout.event.Envelope;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderStatus;
import com.example.orders.domain.OrderStore;
import com.example.orders.domain.ProjectionOutcome;
import com.example.orders.domain.StatusChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The orders table in a map, with the same conditions as the DynamoDB store. */
public class InMemoryOrderStore implements OrderStore {
  private final Map<String, Order> orders = new LinkedHashMap<>();
  private final Map<String, List<Envelope>> outboxes = new LinkedHashMap<>();
  private final Map<String, Instant> lastEventAt = new LinkedHashMap<>();

  @Override
  public synchronized boolean create(Order order, List<Envelope> outbox) {
    if (orders.containsKey(order.id())) {
      return false;
    }
    orders.put(order.id(), order);
    outboxes.put(order.id(), List.copyOf(outbox));
    lastEventAt.put(order.id(), order.statusHistory().getLast().at());
    return true;
  }

  @Override
  public synchronized Optional<Order> find(String orderId) {
    return Optional.ofNullable(orders.get(orderId));
  }

  @Override
  public synchronized ProjectionOutcome applyStatus(String orderId, OrderStatus status, StatusChange change) {
    Order o = orders.get(orderId);
    if (o == null) {
      return ProjectionOutcome.ORDER_NOT_FOUND;
    }
    if (o.status().rank() >= status.rank() || lastEventAt.get(orderId).isAfter(change.at())) {
      return ProjectionOutcome.IGNORED_STALE;
    }
    List<StatusChange> history = new ArrayList<>(o.statusHistory());
    history.add(change);
    orders.put(orderId, new Order(o.id(), o.customerId(), o.customerEmail(), o.channel(), o.items(), o.totalCents(),
        o.currency(), o.paymentToken(), o.orderRef(), status, false, o.createdAt(), change.at(), history,
        o.idempotencyKey(), o.requestFingerprint(), o.createdResponse(), o.source()));
    lastEventAt.put(orderId, change.at());
    return ProjectionOutcome.APPLIED;
  }

  @Override
  public synchronized ProjectionOutcome markStuck(String orderId, StatusChange change, Instant lastProgressSeen) {
    Order o = orders.get(orderId);
    if (o == null) {
      return ProjectionOutcome.ORDER_NOT_FOUND;
    }
    if (o.stuck() || o.status().rank() >= OrderStatus.SHIPPED.rank() || lastEventAt.get(orderId).isAfter(lastProgressSeen)) {
      return ProjectionOutcome.IGNORED_STALE;
    }
    List<StatusChange> history = new ArrayList<>(o.statusHistory());
    history.add(change);
    orders.put(orderId, new Order(o.id(), o.customerId(), o.customerEmail(), o.channel(), o.items(), o.totalCents(),
        o.currency(), o.paymentToken(), o.orderRef(), o.status(), true, o.createdAt(), o.updatedAt(), history,
        o.idempotencyKey(), o.requestFingerprint(), o.createdResponse(), o.source()));
    return ProjectionOutcome.APPLIED;
  }

  public synchronized List<Order> all() {
    return List.copyOf(orders.values());
  }

  public synchronized List<Envelope> outbox(String orderId) {
    return outboxes.getOrDefault(orderId, List.of());
  }
}
