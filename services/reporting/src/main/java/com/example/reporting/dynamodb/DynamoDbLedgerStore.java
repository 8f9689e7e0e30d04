package com.example.reporting.dynamodb;

import com.example.reporting.domain.LedgerEntry;
import com.example.reporting.domain.LedgerStore;
import com.example.reporting.domain.LedgerUpdate;
import com.example.reporting.domain.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Ledger items, one per order. An event carries three kinds of change, each safe to repeat:
 * <ol>
 *   <li>facts that never go stale, unconditionally: {@code first_seen_at}, {@code amount_cents} and
 *       {@code currency} ({@code if_not_exists}), {@code placed_at}, the {@code notified} outcome set,
 *       and when the ledger applied this event and how long after it occurred ({@code recorded_at},
 *       {@code recorded_lag_ms});
 *   <li>status-moving events: {@code status}, {@code failure_reason}, {@code status_at_ns} if
 *       {@code status_at_ns < :at} (a later NotificationSent does not hide a late OrderShipped);
 *   <li>every event: {@code last_event_type/id/at} if {@code last_event_at_ns < :at}.
 * </ol>
 * An event newer than everything the item holds, as a saga's events mostly are, is applied as one
 * update conditional on both clocks. If that condition fails (a late or repeated event), the three
 * are applied as separate updates, so that the facts still land and each clock decides its own part.
 * Times compare as nanoseconds since the epoch, so ties are genuine duplicates.
 */
public final class DynamoDbLedgerStore implements LedgerStore {
  private static final String STATUS_CLOCK = "status_at_ns";
  private static final String LAST_CLOCK = "last_event_at_ns";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbLedgerStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public boolean apply(LedgerUpdate u) {
    AttributeValue at = AttributeValue.fromN(Long.toString(nanos(u.occurredAt())));
    Map<String, AttributeValue> last = Map.of(
        "last_event_type", AttributeValue.fromS(u.eventType()),
        "last_event_id", AttributeValue.fromS(u.eventId()),
        "last_event_at", AttributeValue.fromS(u.occurredAt().toString()));

    Map<String, AttributeValue> status = u.status() == null ? null : statusSet(u);

    Update newest = new Update().facts(u).ifNewer(LAST_CLOCK, at, last);
    if (status != null) {
      newest.ifNewer(STATUS_CLOCK, at, status);
    }
    if (tryApply(u.orderId(), newest)) {
      return true;
    }
    write(u.orderId(), new Update().facts(u));
    boolean statusMoved = status != null && tryApply(u.orderId(), new Update().ifNewer(STATUS_CLOCK, at, status));
    boolean moved = tryApply(u.orderId(), new Update().ifNewer(LAST_CLOCK, at, last));
    return statusMoved || moved;
  }

  private static Map<String, AttributeValue> statusSet(LedgerUpdate u) {
    Map<String, AttributeValue> fields = new HashMap<>();
    fields.put("status", AttributeValue.fromS(u.status().name()));
    fields.put("status_event_id", AttributeValue.fromS(u.eventId()));
    if (u.failureReason() != null) {
      fields.put("failure_reason", AttributeValue.fromS(u.failureReason()));
    }
    return fields;
  }

  /** False when its condition failed: something newer is stored. */
  private boolean tryApply(String orderId, Update update) {
    try {
      write(orderId, update);
      return true;
    } catch (ConditionalCheckFailedException stale) {
      return false;
    }
  }

  private void write(String orderId, Update u) {
    dynamo.updateItem(r -> r.tableName(table).key(key(orderId))
        .updateExpression(u.expression())
        .conditionExpression(u.conditions.isEmpty() ? null : String.join(" AND ", u.conditions))
        .expressionAttributeNames(u.names.isEmpty() ? null : u.names)
        .expressionAttributeValues(u.values));
  }

  /** One UpdateItem's SET and ADD clauses and conditions, with their names and values. */
  private static final class Update {
    final List<String> set = new ArrayList<>();
    final List<String> add = new ArrayList<>();
    final List<String> conditions = new ArrayList<>();
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();

    Update facts(LedgerUpdate u) {
      set.add("first_seen_at = if_not_exists(first_seen_at, :seen)");
      values.put(":seen", AttributeValue.fromS(u.occurredAt().toString()));
      if (u.amountCents() != null) {
        set.add("amount_cents = if_not_exists(amount_cents, :amount)");
        values.put(":amount", AttributeValue.fromN(Long.toString(u.amountCents())));
      }
      if (u.currency() != null) {
        set.add("currency = if_not_exists(currency, :currency)");
        values.put(":currency", AttributeValue.fromS(u.currency()));
      }
      if (u.placedAt() != null) {
        set.add("placed_at = :placedAt");
        values.put(":placedAt", AttributeValue.fromS(u.placedAt().toString()));
      }
      if (u.recordedAt() != null) {
        set.add("recorded_at = :recordedAt, recorded_lag_ms = :lag");
        values.put(":recordedAt", AttributeValue.fromS(u.recordedAt().toString()));
        values.put(":lag", AttributeValue.fromN(Long.toString(Math.max(0, Duration.between(u.occurredAt(), u.recordedAt()).toMillis()))));
      }
      if (u.notified() != null) {
        add.add("notified :notified");
        values.put(":notified", AttributeValue.fromSs(List.of(u.notified())));
      }
      return this;
    }

    /** SET every field and the clock attribute, if the stored clock is older than {@code at}. */
    Update ifNewer(String clock, AttributeValue at, Map<String, AttributeValue> fields) {
      String c = "#" + clock;
      for (Map.Entry<String, AttributeValue> f : fields.entrySet()) {
        String ref = "#" + f.getKey();
        names.put(ref, f.getKey());
        values.put(":" + f.getKey(), f.getValue());
        set.add(ref + " = :" + f.getKey());
      }
      names.put(c, clock);
      values.put(":at", at);
      set.add(c + " = :at");
      conditions.add("(attribute_not_exists(" + c + ") OR " + c + " < :at)");
      return this;
    }

    String expression() {
      return "SET " + String.join(", ", set) + (add.isEmpty() ? "" : " ADD " + String.join(", ", add));
    }
  }

  @Override
  public Stream<LedgerEntry> scan() {
    return dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().stream().map(DynamoDbLedgerStore::read);
  }

  @Override
  public void markStuckReported(String orderId, String lastEventId) {
    try {
      dynamo.updateItem(r -> r.tableName(table).key(key(orderId))
          .updateExpression("SET stuck_reported_for = :id")
          .conditionExpression("last_event_id = :id")
          .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(lastEventId))));
    } catch (ConditionalCheckFailedException movedOn) {
      // A newer event arrived: the order is no longer stuck at that event.
    }
  }

  private static LedgerEntry read(Map<String, AttributeValue> item) {
    return new LedgerEntry(
        item.get("order_id").s(),
        item.containsKey("status") ? OrderStatus.valueOf(item.get("status").s()) : null,
        s(item, "failure_reason"),
        s(item, "last_event_type"),
        s(item, "last_event_id"),
        instant(item, "last_event_at"),
        item.containsKey("amount_cents") ? Long.valueOf(item.get("amount_cents").n()) : null,
        s(item, "currency"),
        item.containsKey("notified") ? Set.copyOf(item.get("notified").ss()) : Set.of(),
        instant(item, "placed_at"),
        instant(item, "first_seen_at"),
        s(item, "stuck_reported_for"),
        instant(item, "recorded_at"),
        item.containsKey("recorded_lag_ms") ? Duration.ofMillis(Long.parseLong(item.get("recorded_lag_ms").n())) : null);
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    String s = s(item, name);
    return s == null ? null : Instant.parse(s);
  }

  private static long nanos(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
  }

  private static Map<String, AttributeValue> key(String orderId) {
    return Map.of("order_id", AttributeValue.fromS(orderId));
  }
}
