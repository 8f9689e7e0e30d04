package com.example.notifications.dynamodb;

import com.example.notifications.domain.NotificationLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Items {@code {pk: <orderId>#<OUTCOME>, state: SENDING|SENT, claim_token, lease_expires_at (epoch ms),
 * message_id, sent_at}}.
 */
public final class DynamoDbNotificationLog implements NotificationLog {
  static final String SENDING = "SENDING";
  static final String SENT = "SENT";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbNotificationLog(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public Claim claim(String key, String token, Instant now, Duration lease) {
    try {
      dynamo.putItem(r -> r.tableName(table)
          .item(Map.of(
              "pk", AttributeValue.fromS(key),
              "state", AttributeValue.fromS(SENDING),
              "claim_token", AttributeValue.fromS(token),
              "claimed_at", AttributeValue.fromS(now.toString()),
              "lease_expires_at", AttributeValue.fromN(Long.toString(now.plus(lease).toEpochMilli()))))
          .conditionExpression("attribute_not_exists(pk) OR (#state = :sending AND lease_expires_at < :now)")
          .expressionAttributeNames(Map.of("#state", "state"))
          .expressionAttributeValues(Map.of(
              ":sending", AttributeValue.fromS(SENDING),
              ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())))));
      return new Claim.Claimed();
    } catch (ConditionalCheckFailedException e) {
      GetItemResponse response = dynamo.getItem(r -> r.tableName(table).key(key(key)).consistentRead(true));
      if (!response.hasItem()) {
        // Released between our write and our read: the retry will claim it.
        return new Claim.InFlight(now);
      }
      Map<String, AttributeValue> item = response.item();
      if (SENT.equals(item.get("state").s())) {
        return new Claim.AlreadySent(item.get("message_id").s());
      }
      return new Claim.InFlight(Instant.ofEpochMilli(Long.parseLong(item.get("lease_expires_at").n())));
    }
  }

  @Override
  public void release(String key, String token) {
    try {
      dynamo.deleteItem(r -> r.tableName(table).key(key(key))
          .conditionExpression("claim_token = :token AND #state = :sending")
          .expressionAttributeNames(Map.of("#state", "state"))
          .expressionAttributeValues(Map.of(":token", AttributeValue.fromS(token), ":sending", AttributeValue.fromS(SENDING))));
    } catch (ConditionalCheckFailedException e) {
      // Not ours any more: nothing to give up.
    }
  }

  @Override
  public boolean markSent(String key, String token, String messageId, Instant at) {
    try {
      dynamo.updateItem(r -> r.tableName(table).key(key(key))
          .updateExpression("SET #state = :sent, message_id = :messageId, sent_at = :at REMOVE lease_expires_at")
          .conditionExpression("claim_token = :token")
          .expressionAttributeNames(Map.of("#state", "state"))
          .expressionAttributeValues(Map.of(
              ":sent", AttributeValue.fromS(SENT),
              ":messageId", AttributeValue.fromS(messageId),
              ":at", AttributeValue.fromS(at.toString()),
              ":token", AttributeValue.fromS(token))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static Map<String, AttributeValue> key(String key) {
    return Map.of("pk", AttributeValue.fromS(key));
  }
}
