package com.example.fanout.local.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The invocation record Lambda sends to a stream mapping's on-failure destination when it gives up
 * on records: {@code requestContext} (condition {@code RetryAttemptsExhausted}), {@code responseContext}
 * and {@code DDBStreamBatchInfo}, which names the records by shard and sequence numbers but does not
 * hold them.
 */
final class StreamBatchFailure {
  private StreamBatchFailure() {}

  static String describe(String functionArn, String streamArn, String shardId, List<DynamodbEvent.DynamodbStreamRecord> records,
      int attempts, Exception lastError) {
    ObjectNode json = EventJson.mapper().createObjectNode();
    ObjectNode request = json.putObject("requestContext");
    request.put("requestId", UUID.randomUUID().toString());
    request.put("functionArn", functionArn);
    request.put("condition", "RetryAttemptsExhausted");
    request.put("approximateInvokeCount", attempts);
    ObjectNode response = json.putObject("responseContext");
    response.put("statusCode", 200);
    response.put("executedVersion", "$LATEST");
    if (lastError != null) {
      response.put("functionError", "Unhandled");
    }
    json.put("version", "1.0");
    json.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    ObjectNode info = json.putObject("DDBStreamBatchInfo");
    info.put("shardId", shardId);
    info.put("startSequenceNumber", records.getFirst().getDynamodb().getSequenceNumber());
    info.put("endSequenceNumber", records.getLast().getDynamodb().getSequenceNumber());
    info.put("approximateArrivalOfFirstRecord", arrival(records.getFirst()));
    info.put("approximateArrivalOfLastRecord", arrival(records.getLast()));
    info.put("batchSize", records.size());
    info.put("streamArn", streamArn);
    return EventJson.write(json);
  }

  private static String arrival(DynamodbEvent.DynamodbStreamRecord record) {
    Date created = record.getDynamodb().getApproximateCreationDateTime();
    return (created == null ? Instant.now() : created.toInstant()).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
