package com.example.fanout.local.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.lambda.InvocationRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

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
    ObjectNode json = InvocationRecord.of(functionArn, "RetryAttemptsExhausted", attempts, lastError != null);
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
