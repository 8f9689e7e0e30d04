package com.example.orders.dynamodb;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.publish.TraceHeaderSource;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderLine;
import com.example.orders.domain.OrderStatus;
import com.example.orders.domain.OrderStore;
import com.example.orders.domain.ProjectionOutcome;
import com.example.orders.domain.StatusChange;
import com.example.orders.domain.outbox.OutboxCleaner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The orders table: one item per order, partition key {@code pk} = the order id. Every state change
 * is one conditional single-item write; the order and the events its creation causes (the {@code
 * outbox} map, event id to envelope JSON) go in together, and the table's stream carries them to the
 * relay. No transactions: dynalite has none, and one item needs none.
 */
public final class DynamoDbOrderStore implements OrderStore, OutboxCleaner {
  static final String PK = "pk";
  static final String OUTBOX = "outbox";
  /** The X-Ray header of the request that wrote the outbox: the relay publishes its events in that trace. */
  public static final String OUTBOX_TRACE = "outboxTrace";

  private final DynamoDbClient dynamo;
  private final String table;
  private final TraceHeaderSource traceHeaders;

  public DynamoDbOrderStore(DynamoDbClient dynamo, String table) {
    this(dynamo, table, TraceHeaderSource.lambdaEnvironment());
  }

  public DynamoDbOrderStore(DynamoDbClient dynamo, String table, TraceHeaderSource traceHeaders) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.traceHeaders = Objects.requireNonNull(traceHeaders, "traceHeaders");
  }

  @Override
  public boolean create(Order order, List<Envelope> outbox) {
    Map<String, AttributeValue> item = OrderItems.toItem(order);
    Map<String, AttributeValue> events = new LinkedHashMap<>();
    for (Envelope event : outbox) {
      events.put(event.id(), s(EventJson.writeEnvelope(event)));
    }
    item.put(OUTBOX, AttributeValue.fromM(events));
    traceHeaders.current().ifPresent(header -> item.put(OUTBOX_TRACE, s(header)));
    try {
      dynamo.putItem(r -> r.tableName(table).item(item)
          .conditionExpression("attribute_not_exists(#pk)")
          .expressionAttributeNames(Map.of("#pk", PK)));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  @Override
  public Optional<Order> find(String orderId) {
    GetItemResponse response = dynamo.getItem(r -> r.tableName(table).key(key(orderId)).consistentRead(true));
    return response.hasItem() && !response.item().isEmpty()
        ? Optional.of(OrderItems.fromItem(response.item()))
        : Optional.empty();
  }

  @Override
  public ProjectionOutcome applyStatus(String orderId, OrderStatus status, StatusChange change) {
    Map<String, String> names = new HashMap<>(Map.of(
        "#pk", PK, "#status", "status", "#rank", "statusRank", "#stuck", "stuck", "#updatedAt", "updatedAt",
        "#lastAt", "lastEventAtMillis", "#lastId", "lastEventId", "#history", "statusHistory"));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(
        ":status", s(status.name()),
        ":rank", n(status.rank()),
        ":false", AttributeValue.fromBool(false),
        ":updatedAt", s(change.at().toString()),
        ":at", n(change.at().toEpochMilli()),
        ":eventId", s(change.eventId()),
        ":entry", AttributeValue.fromL(List.of(OrderItems.historyEntry(change)))));
    return update(orderId,
        "SET #status = :status, #rank = :rank, #stuck = :false, #updatedAt = :updatedAt, #lastAt = :at,"
            + " #lastId = :eventId, #history = list_append(#history, :entry)",
        "attribute_exists(#pk) AND #rank < :rank AND #lastAt <= :at",
        names, values);
  }

  @Override
  public ProjectionOutcome markStuck(String orderId, StatusChange change, Instant lastProgressSeen) {
    Map<String, String> names = Map.of(
        "#pk", PK, "#rank", "statusRank", "#stuck", "stuck", "#lastAt", "lastEventAtMillis",
        "#stuckEvent", "stuckEventId", "#history", "statusHistory");
    Map<String, AttributeValue> values = Map.of(
        ":true", AttributeValue.fromBool(true),
        ":false", AttributeValue.fromBool(false),
        ":shipped", n(OrderStatus.SHIPPED.rank()),
        ":seen", n(lastProgressSeen.toEpochMilli()),
        ":eventId", s(change.eventId()),
        ":entry", AttributeValue.fromL(List.of(OrderItems.historyEntry(change))));
    return update(orderId,
        "SET #stuck = :true, #stuckEvent = :eventId, #history = list_append(#history, :entry)",
        "attribute_exists(#pk) AND #stuck = :false AND #rank < :shipped AND #lastAt <= :seen",
        names, values);
  }

  @Override
  public void remove(String orderId, Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return;
    }
    Map<String, String> names = new HashMap<>();
    names.put("#outbox", OUTBOX);
    List<String> paths = new ArrayList<>();
    int i = 0;
    for (String id : eventIds) {
      names.put("#e" + i, id);
      paths.add("#outbox.#e" + i);
      i++;
    }
    try {
      dynamo.updateItem(r -> r.tableName(table).key(key(orderId))
          .updateExpression("REMOVE " + String.join(", ", paths))
          .conditionExpression("attribute_exists(#outbox)")
          .expressionAttributeNames(names));
    } catch (ConditionalCheckFailedException e) {
      // The item or its outbox is gone: nothing left to clear.
    }
  }

  private ProjectionOutcome update(String orderId, String update, String condition,
      Map<String, String> names, Map<String, AttributeValue> values) {
    try {
      dynamo.updateItem(r -> r.tableName(table).key(key(orderId))
          .updateExpression(update)
          .conditionExpression(condition)
          .expressionAttributeNames(names)
          .expressionAttributeValues(values));
      return ProjectionOutcome.APPLIED;
    } catch (ConditionalCheckFailedException e) {
      GetItemResponse existing = dynamo.getItem(r -> r.tableName(table).key(key(orderId))
          .consistentRead(true).projectionExpression("#pk").expressionAttributeNames(Map.of("#pk", PK)));
      return existing.hasItem() && !existing.item().isEmpty()
          ? ProjectionOutcome.IGNORED_STALE
          : ProjectionOutcome.ORDER_NOT_FOUND;
    }
  }

  private static Map<String, AttributeValue> key(String orderId) {
    return Map.of(PK, s(orderId));
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** Items of the orders table to and from {@link Order}. */
  static final class OrderItems {
    private OrderItems() {}

    static Map<String, AttributeValue> toItem(Order o) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(PK, s(o.id()));
      item.put("orderId", s(o.id()));
      // The saga's correlation id is the order id; tools that follow one order (the local timeline) read it here.
      item.put("correlationId", s(o.id()));
      item.put("customerId", s(o.customerId()));
      item.put("customerEmail", s(o.customerEmail()));
      item.put("channel", s(o.channel()));
      List<AttributeValue> items = new ArrayList<>();
      for (OrderLine line : o.items()) {
        items.add(AttributeValue.fromM(Map.of(
            "sku", s(line.sku()), "quantity", n(line.quantity()), "unitPriceCents", n(line.unitPriceCents()))));
      }
      item.put("items", AttributeValue.fromL(items));
      item.put("totalCents", n(o.totalCents()));
      item.put("currency", s(o.currency()));
      item.put("paymentToken", s(o.paymentToken()));
      item.put("status", s(o.status().name()));
      item.put("statusRank", n(o.status().rank()));
      item.put("stuck", AttributeValue.fromBool(o.stuck()));
      item.put("createdAt", s(o.createdAt().toString()));
      item.put("updatedAt", s(o.updatedAt().toString()));
      StatusChange last = o.statusHistory().getLast();
      item.put("lastEventAtMillis", n(last.at().toEpochMilli()));
      item.put("lastEventId", s(last.eventId()));
      item.put("statusHistory", AttributeValue.fromL(o.statusHistory().stream().map(OrderItems::historyEntry).toList()));
      putIfPresent(item, "orderRef", o.orderRef());
      putIfPresent(item, "idempotencyKey", o.idempotencyKey());
      putIfPresent(item, "requestFingerprint", o.requestFingerprint());
      putIfPresent(item, "createdResponse", o.createdResponse());
      putIfPresent(item, "source", o.source());
      return item;
    }

    static AttributeValue historyEntry(StatusChange c) {
      return AttributeValue.fromM(Map.of(
          "status", s(c.status()), "eventType", s(c.eventType()), "eventId", s(c.eventId()), "at", s(c.at().toString())));
    }

    static Order fromItem(Map<String, AttributeValue> item) {
      List<OrderLine> lines = item.get("items").l().stream().map(AttributeValue::m)
          .map(m -> new OrderLine(m.get("sku").s(), Integer.parseInt(m.get("quantity").n()), Long.parseLong(m.get("unitPriceCents").n())))
          .toList();
      List<StatusChange> history = item.get("statusHistory").l().stream().map(AttributeValue::m)
          .map(m -> new StatusChange(m.get("status").s(), m.get("eventType").s(), m.get("eventId").s(), Instant.parse(m.get("at").s())))
          .toList();
      return new Order(
          item.get("orderId").s(),
          item.get("customerId").s(),
          item.get("customerEmail").s(),
          item.get("channel").s(),
          lines,
          Long.parseLong(item.get("totalCents").n()),
          item.get("currency").s(),
          text(item, "paymentToken"),
          text(item, "orderRef"),
          OrderStatus.valueOf(item.get("status").s()),
          item.containsKey("stuck") && Boolean.TRUE.equals(item.get("stuck").bool()),
          Instant.parse(item.get("createdAt").s()),
          Instant.parse(item.get("updatedAt").s()),
          history,
          text(item, "idempotencyKey"),
          text(item, "requestFingerprint"),
          text(item, "createdResponse"),
          text(item, "source"));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
      if (value != null) {
        item.put(name, s(value));
      }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
      AttributeValue value = item.get(name);
      return value == null ? null : value.s();
    }
  }
}
