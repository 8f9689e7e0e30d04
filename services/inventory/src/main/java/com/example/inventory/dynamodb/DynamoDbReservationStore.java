package com.example.inventory.dynamodb;

import com.example.inventory.domain.Reservation;
import com.example.inventory.domain.ReservationStore;
import com.example.inventory.domain.StockLine;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/** Reservation records {@code {order_id, reservation_id, lines: L<M{sku, quantity}>, status, updated_at}}. */
public final class DynamoDbReservationStore implements ReservationStore {
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbReservationStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public Optional<Reservation> find(String orderId) {
    GetItemResponse response = dynamo.getItem(r -> r.tableName(table)
        .key(Map.of("order_id", AttributeValue.fromS(orderId))).consistentRead(true));
    if (!response.hasItem()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    List<StockLine> lines = item.get("lines").l().stream()
        .map(v -> new StockLine(v.m().get("sku").s(), Integer.parseInt(v.m().get("quantity").n())))
        .toList();
    return Optional.of(new Reservation(orderId, item.get("reservation_id").s(), lines,
        Reservation.Status.valueOf(item.get("status").s()), Instant.parse(item.get("updated_at").s())));
  }

  @Override
  public boolean recordReserved(Reservation reservation) {
    try {
      dynamo.putItem(r -> r.tableName(table)
          .item(item(reservation.orderId(), reservation.reservationId(), reservation.lines(),
              Reservation.Status.RESERVED, reservation.updatedAt()))
          .conditionExpression("attribute_not_exists(order_id) OR #status = :reserved")
          .expressionAttributeNames(Map.of("#status", "status"))
          .expressionAttributeValues(Map.of(":reserved", AttributeValue.fromS(Reservation.Status.RESERVED.name()))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  @Override
  public void markReleased(String orderId, String reservationId, List<StockLine> lines, Instant at) {
    dynamo.putItem(r -> r.tableName(table).item(item(orderId, reservationId, lines, Reservation.Status.RELEASED, at)));
  }

  private static Map<String, AttributeValue> item(String orderId, String reservationId, List<StockLine> lines,
      Reservation.Status status, Instant at) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("order_id", AttributeValue.fromS(orderId));
    item.put("reservation_id", AttributeValue.fromS(reservationId));
    item.put("lines", AttributeValue.fromL(lines.stream()
        .map(l -> AttributeValue.fromM(Map.of(
            "sku", AttributeValue.fromS(l.sku()),
            "quantity", AttributeValue.fromN(Integer.toString(l.quantity())))))
        .toList()));
    item.put("status", AttributeValue.fromS(status.name()));
    item.put("updated_at", AttributeValue.fromS(at.toString()));
    return item;
  }
}
