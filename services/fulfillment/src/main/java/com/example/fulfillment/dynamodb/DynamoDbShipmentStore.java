package com.example.fulfillment.dynamodb;

import com.example.fulfillment.domain.PaymentAuthorized;
import com.example.fulfillment.domain.Shipment;
import com.example.fulfillment.domain.ShipmentStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Shipment items {@code {order_id, shipment_id, carrier, tracking_number, customer_id, customer_email, items, created_at}}. */
public final class DynamoDbShipmentStore implements ShipmentStore {
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbShipmentStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public Shipment recordOnce(Shipment shipment) {
    try {
      dynamo.putItem(r -> r.tableName(table).item(write(shipment)).conditionExpression("attribute_not_exists(order_id)"));
      return shipment;
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
          .key(Map.of("order_id", AttributeValue.fromS(shipment.orderId()))).consistentRead(true)).item();
      return read(item);
    }
  }

  private static Map<String, AttributeValue> write(Shipment s) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("order_id", AttributeValue.fromS(s.orderId()));
    item.put("shipment_id", AttributeValue.fromS(s.shipmentId()));
    item.put("carrier", AttributeValue.fromS(s.carrier()));
    item.put("tracking_number", AttributeValue.fromS(s.trackingNumber()));
    item.put("customer_id", AttributeValue.fromS(s.customerId()));
    item.put("customer_email", AttributeValue.fromS(s.customerEmail()));
    item.put("items", AttributeValue.fromL(s.items().stream()
        .map(i -> AttributeValue.fromM(Map.of(
            "sku", AttributeValue.fromS(i.sku()),
            "quantity", AttributeValue.fromN(Integer.toString(i.quantity())))))
        .toList()));
    item.put("created_at", AttributeValue.fromS(s.createdAt().toString()));
    return item;
  }

  private static Shipment read(Map<String, AttributeValue> item) {
    return new Shipment(item.get("order_id").s(), item.get("shipment_id").s(), item.get("carrier").s(),
        item.get("tracking_number").s(), item.get("customer_id").s(), item.get("customer_email").s(),
        item.get("items").l().stream()
            .map(v -> new PaymentAuthorized.Item(v.m().get("sku").s(), Integer.parseInt(v.m().get("quantity").n())))
            .toList(),
        Instant.parse(item.get("created_at").s()));
  }
}
