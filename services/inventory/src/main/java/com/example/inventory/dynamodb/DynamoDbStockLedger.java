package com.example.inventory.dynamodb;

import com.example.inventory.domain.LineReservation;
import com.example.inventory.domain.StockLedger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Stock items {@code {sku, available: N, reserved_orders: SS}}. Each reservation, release and
 * settlement is one {@code UpdateItem} whose condition DynamoDB evaluates atomically with the update.
 * {@code reserved_orders} holds only the orders whose payment is still open, so an item stays small:
 * every id it gains is removed by a release or a settlement.
 */
public final class DynamoDbStockLedger implements StockLedger {
  static final String SKU = "sku";
  static final String AVAILABLE = "available";
  static final String RESERVED_ORDERS = "reserved_orders";

  private static final String RESERVE_CONDITION =
      "attribute_exists(sku) AND available >= :q AND NOT contains(reserved_orders, :orderId)";
  private static final String RESERVE_UPDATE = "ADD available :minusQ, reserved_orders :orderIdSet";
  private static final String HELD_CONDITION = "contains(reserved_orders, :orderId)";
  private static final String RELEASE_UPDATE = "ADD available :q DELETE reserved_orders :orderIdSet";
  private static final String SETTLE_UPDATE = "DELETE reserved_orders :orderIdSet";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbStockLedger(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public LineReservation reserve(String sku, int quantity, String orderId) {
    try {
      dynamo.updateItem(r -> r.tableName(table)
          .key(key(sku))
          .conditionExpression(RESERVE_CONDITION)
          .updateExpression(RESERVE_UPDATE)
          .expressionAttributeValues(Map.of(
              ":q", number(quantity),
              ":minusQ", number(-quantity),
              ":orderId", AttributeValue.fromS(orderId),
              ":orderIdSet", AttributeValue.fromSs(List.of(orderId)))));
      return new LineReservation.Reserved();
    } catch (ConditionalCheckFailedException e) {
      // Tell the three reasons apart with a consistent read; the item can only have moved on since,
      // and each answer is safe: held stays held, short is re-checked by the next retry if any.
      GetItemResponse item = dynamo.getItem(r -> r.tableName(table).key(key(sku)).consistentRead(true));
      if (!item.hasItem()) {
        return new LineReservation.UnknownSku();
      }
      Map<String, AttributeValue> attributes = item.item();
      AttributeValue orders = attributes.get(RESERVED_ORDERS);
      if (orders != null && orders.hasSs() && orders.ss().contains(orderId)) {
        return new LineReservation.AlreadyReserved();
      }
      return new LineReservation.Insufficient(availableOf(attributes));
    }
  }

  @Override
  public boolean release(String sku, int quantity, String orderId) {
    return updateIfHeld(sku, orderId, RELEASE_UPDATE, Map.of(":q", number(quantity)));
  }

  @Override
  public boolean settle(String sku, String orderId) {
    return updateIfHeld(sku, orderId, SETTLE_UPDATE, Map.of());
  }

  /**
   * One {@code UpdateItem} of the sku's item on the condition that {@code orderId} holds some of it.
   * The condition also keeps the update from creating an item for an unknown sku.
   *
   * @return false if the order does not hold the sku
   */
  private boolean updateIfHeld(String sku, String orderId, String update, Map<String, AttributeValue> values) {
    Map<String, AttributeValue> withOrder = new HashMap<>(values);
    withOrder.put(":orderId", AttributeValue.fromS(orderId));
    withOrder.put(":orderIdSet", AttributeValue.fromSs(List.of(orderId)));
    try {
      dynamo.updateItem(r -> r.tableName(table)
          .key(key(sku))
          .conditionExpression(HELD_CONDITION)
          .updateExpression(update)
          .expressionAttributeValues(withOrder));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  @Override
  public OptionalLong available(String sku) {
    GetItemResponse item = dynamo.getItem(r -> r.tableName(table).key(key(sku)).consistentRead(true));
    return item.hasItem() ? OptionalLong.of(availableOf(item.item())) : OptionalLong.empty();
  }

  private static long availableOf(Map<String, AttributeValue> item) {
    AttributeValue available = item.get(AVAILABLE);
    return available == null || available.n() == null ? 0 : Long.parseLong(available.n());
  }

  private static Map<String, AttributeValue> key(String sku) {
    return Map.of(SKU, AttributeValue.fromS(sku));
  }

  private static AttributeValue number(long n) {
    return AttributeValue.fromN(Long.toString(n));
  }
}
