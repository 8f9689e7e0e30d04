package com.example.fanout.idempotency;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency records in a DynamoDB table keyed by {@code id} (S), TTL on {@code expiration}: the
 * same table and item layout as Powertools' {@code DynamoDBPersistenceStore}, so either can read the
 * other's records. Single-item conditional writes only (no transactions).
 */
public final class DynamoDbPersistenceStore extends BasePersistenceStore {
  static final String KEY = "id";
  static final String EXPIRY = "expiration";
  static final String STATUS = "status";
  static final String DATA = "data";
  static final String IN_PROGRESS_EXPIRY = "in_progress_expiration";
  static final String VALIDATION = "validation";

  private static final String CLAIM_CONDITION = "attribute_not_exists(#id) OR #expiry < :now"
      + " OR (attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis AND #status = :inprogress)";
  private static final Map<String, String> CLAIM_NAMES = Map.of(
      "#id", KEY, "#expiry", EXPIRY, "#in_progress_expiry", IN_PROGRESS_EXPIRY, "#status", STATUS);

  private final DynamoDbClient client;
  private final String tableName;

  public DynamoDbPersistenceStore(DynamoDbClient client, String tableName, IdempotencyConfig config, Clock clock) {
    super(config, clock);
    this.client = Objects.requireNonNull(client, "client");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  public DynamoDbPersistenceStore(DynamoDbClient client, String tableName) {
    this(client, tableName, IdempotencyConfig.defaults(), Clock.systemUTC());
  }

  @Override
  protected void putRecord(DataRecord record, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(KEY, s(record.idempotencyKey()));
    item.put(EXPIRY, n(record.expiryTimestamp()));
    item.put(STATUS, s(record.status().name()));
    item.put(IN_PROGRESS_EXPIRY, n(record.inProgressExpiryTimestamp()));
    if (record.payloadHash() != null) {
      item.put(VALIDATION, s(record.payloadHash()));
    }
    try {
      client.putItem(r -> r.tableName(tableName).item(item)
          .conditionExpression(CLAIM_CONDITION)
          .expressionAttributeNames(CLAIM_NAMES)
          .expressionAttributeValues(Map.of(
              ":now", n(now.getEpochSecond()),
              ":now_in_millis", n(now.toEpochMilli()),
              ":inprogress", s(DataRecord.Status.INPROGRESS.name())))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    } catch (ConditionalCheckFailedException e) {
      // DynamoDB returns the item that failed the condition; a stand-in without ALL_OLD returns none
      // and the algorithm falls back to a consistent read.
      DataRecord existing = e.hasItem() && !e.item().isEmpty() ? toRecord(e.item()) : null;
      throw new IdempotencyItemAlreadyExistsException("a live idempotency record holds " + record.idempotencyKey(), e, existing);
    } catch (SdkException e) {
      throw new IdempotencyPersistenceException("cannot write idempotency record " + record.idempotencyKey(), e);
    }
  }

  @Override
  protected Optional<DataRecord> readRecord(String key) {
    GetItemResponse response;
    try {
      response = client.getItem(r -> r.tableName(tableName).key(Map.of(KEY, s(key))).consistentRead(true));
    } catch (SdkException e) {
      throw new IdempotencyPersistenceException("cannot read idempotency record " + key, e);
    }
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(toRecord(response.item()));
  }

  private static DataRecord toRecord(Map<String, AttributeValue> item) {
    return new DataRecord(
        item.get(KEY).s(),
        DataRecord.Status.valueOf(item.get(STATUS).s()),
        Long.parseLong(item.get(EXPIRY).n()),
        item.containsKey(DATA) ? item.get(DATA).s() : null,
        item.containsKey(VALIDATION) ? item.get(VALIDATION).s() : null,
        item.containsKey(IN_PROGRESS_EXPIRY) ? Long.valueOf(item.get(IN_PROGRESS_EXPIRY).n()) : null);
  }

  @Override
  protected void updateRecord(DataRecord record) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":data", s(record.responseData() == null ? "" : record.responseData()));
    values.put(":expiry", n(record.expiryTimestamp()));
    values.put(":status", s(record.status().name()));
    String update = "SET #data = :data, #expiry = :expiry, #status = :status";
    Map<String, String> names = new HashMap<>(Map.of("#data", DATA, "#expiry", EXPIRY, "#status", STATUS));
    if (record.payloadHash() != null) {
      update += ", #validation = :validation";
      names.put("#validation", VALIDATION);
      values.put(":validation", s(record.payloadHash()));
    }
    String expression = update;
    try {
      client.updateItem(r -> r.tableName(tableName).key(Map.of(KEY, s(record.idempotencyKey())))
          .updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values));
    } catch (SdkException e) {
      throw new IdempotencyPersistenceException("cannot complete idempotency record " + record.idempotencyKey(), e);
    }
  }

  @Override
  protected void removeRecord(String key) {
    try {
      client.deleteItem(r -> r.tableName(tableName).key(Map.of(KEY, s(key))));
    } catch (SdkException e) {
      throw new IdempotencyPersistenceException("cannot delete idempotency record " + key, e);
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(Long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
