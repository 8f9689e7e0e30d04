package com.example.orders.domain;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.schema.EventSchemas;
import com.example.orders.domain.events.OrderPlaced;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Places an order: builds the order and its {@code OrderPlaced} event (id derived from the order
 * id, so a retry rebuilds the very same event) and writes both in one conditional single-item write.
 * The event leaves through the outbox: the table's stream feeds the relay.
 */
public final class OrderPlacement {
  public static final String SOURCE = "com.example.orders";
  public static final String ORDER_PLACED = "OrderPlaced";
  public static final int ORDER_PLACED_VERSION = 1;

  private final OrderStore store;
  private final EventSchemas schemas;
  private final Clock clock;

  /** @param schemas checks each event against its published schema before it is stored; null skips it */
  public OrderPlacement(OrderStore store, EventSchemas schemas, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.schemas = schemas;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param idempotencyKey the caller's key, or null
   * @param fingerprint    {@link RequestFingerprint} of the input; tells a replay from a reused key
   * @param source         where an imported order came from, or null
   * @throws InvalidOrderException if the event would break its schema
   */
  public Placement place(OrderRequest request, String orderId, String idempotencyKey, String fingerprint, String source) {
    Instant now = clock.instant();
    Envelope placed = orderPlaced(orderId, request, now);
    Order order = new Order(orderId, request.customerId(), request.customerEmail(), request.channel(), request.items(),
        request.totalCents(), request.currency(), request.paymentToken(), request.orderRef(), OrderStatus.PLACED, false,
        now, now, List.of(new StatusChange(OrderStatus.PLACED.name(), ORDER_PLACED, placed.id(), now)),
        idempotencyKey, fingerprint, null, source);
    order = order.withCreatedResponse(OrderJson.write(order));
    if (store.create(order, List.of(placed))) {
      return new Placement.Created(order);
    }
    Order existing = store.find(orderId).orElseThrow(() -> new IllegalStateException(
        "order " + orderId + " exists according to the conditional write but cannot be read"));
    return Objects.equals(existing.requestFingerprint(), fingerprint)
        ? new Placement.Replayed(existing)
        : new Placement.KeyReused(existing);
  }

  private Envelope orderPlaced(String orderId, OrderRequest request, Instant now) {
    OrderPlaced data = new OrderPlaced(orderId, request.customerId(), request.customerEmail(), request.channel(),
        request.items().stream().map(l -> new OrderPlaced.Item(l.sku(), l.quantity(), l.unitPriceCents())).toList(),
        request.totalCents(), request.currency(), request.paymentToken());
    Envelope event = new Envelope(EventIds.derived(orderId, ORDER_PLACED, ""), ORDER_PLACED, ORDER_PLACED_VERSION,
        SOURCE, now, orderId, null, EventJson.tree(data));
    if (schemas != null) {
      List<String> violations = schemas.violations(ORDER_PLACED, ORDER_PLACED_VERSION, event.data());
      if (!violations.isEmpty()) {
        List<FieldError> errors = new ArrayList<>();
        for (String violation : violations) {
          int colon = violation.indexOf(": ");
          String location = colon < 0 ? "$" : violation.substring(0, colon);
          String field = location.replaceFirst("^\\$\\.?", "").replaceFirst("^/", "");
          errors.add(new FieldError(field.isEmpty() ? "$" : field, colon < 0 ? violation : violation.substring(colon + 2)));
        }
        throw new InvalidOrderException(errors);
      }
    }
    return event;
  }
}
