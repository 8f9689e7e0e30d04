package com.example.payments.dynamodb;

import com.example.payments.domain.FailureReason;
import com.example.payments.domain.PaymentRecord;
import com.example.payments.domain.PaymentStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/** Payment records {@code {order_id, status, payment_id?, reason?, amount_cents, currency, recorded_at}}. */
public final class DynamoDbPaymentStore implements PaymentStore {
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbPaymentStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public Optional<PaymentRecord> find(String orderId) {
    GetItemResponse response = dynamo.getItem(r -> r.tableName(table)
        .key(Map.of("order_id", AttributeValue.fromS(orderId))).consistentRead(true));
    return response.hasItem() ? Optional.of(read(response.item())) : Optional.empty();
  }

  @Override
  public PaymentRecord recordOnce(PaymentRecord record) {
    try {
      dynamo.putItem(r -> r.tableName(table).item(write(record)).conditionExpression("attribute_not_exists(order_id)"));
      return record;
    } catch (ConditionalCheckFailedException e) {
      return find(record.orderId()).orElseThrow(() -> new IllegalStateException(
          "payment of " + record.orderId() + " exists by its condition but cannot be read"));
    }
  }

  private static Map<String, AttributeValue> write(PaymentRecord record) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("order_id", AttributeValue.fromS(record.orderId()));
    item.put("status", AttributeValue.fromS(record.status().name()));
    if (record.paymentId() != null) {
      item.put("payment_id", AttributeValue.fromS(record.paymentId()));
    }
    if (record.reason() != null) {
      item.put("reason", AttributeValue.fromS(record.reason().name()));
    }
    item.put("amount_cents", AttributeValue.fromN(Long.toString(record.amountCents())));
    item.put("currency", AttributeValue.fromS(record.currency()));
    item.put("recorded_at", AttributeValue.fromS(record.recordedAt().toString()));
    return item;
  }

  private static PaymentRecord read(Map<String, AttributeValue> item) {
    return new PaymentRecord(
        item.get("order_id").s(),
        PaymentRecord.Status.valueOf(item.get("status").s()),
        item.containsKey("payment_id") ? item.get("payment_id").s() : null,
        item.containsKey("reason") ? FailureReason.valueOf(item.get("reason").s()) : null,
        Long.parseLong(item.get("amount_cents").n()),
        item.get("currency").s(),
        Instant.parse(item.get("recorded_at").s()));
  }
}
