package com.example.fanout.ops;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Redrive of a stream mapping's on-failure DLQ ({@code <env>-<service>-<stream>-dlq}). Each message
 * there is Lambda's description of records it gave up on ({@code DDBStreamBatchInfo}: stream, shard,
 * first and last sequence number), not the records. They are read back with the Streams API
 * ({@code GetShardIterator AT_SEQUENCE_NUMBER}, then {@code GetRecords} up to the last sequence
 * number), handed to the function the description names ({@code requestContext.functionArn}) in one
 * {@code Invoke} shaped like the mapping's event, and the description is deleted only when the
 * function handled every record (no function error, no batch item failure). With a parallelization
 * factor above 1 the range also holds records of other keys that went through already; the relay
 * publishes them again and consumers deduplicate them. Records older than the stream's 24 hours are
 * gone: the description stays, and the runbook's re-emit path applies.
 */
final class StreamDlqRedrive {
  /** Long enough for the function's longest run, so the description does not reappear meanwhile. */
  private static final int VISIBILITY_SECONDS = 900;
  private static final int MAX_EMPTY_READS = 3;

  private final SqsClient sqs;
  private final DynamoDbStreamsClient streams;
  private final LambdaClient lambda;
  private final PrintWriter out;

  StreamDlqRedrive(SqsClient sqs, DynamoDbStreamsClient streams, LambdaClient lambda, PrintWriter out) {
    this.sqs = sqs;
    this.streams = streams;
    this.lambda = lambda;
    this.out = out;
  }

  /** What a run did: descriptions redriven (deleted), records re-invoked, and descriptions left in the DLQ. */
  record Result(int redriven, int records, int left, List<Output.Failure> failures) {}

  Result redrive(String dlqName, String dlqUrl, long depth, Instant deadline) {
    Set<String> seen = new HashSet<>();
    int redriven = 0;
    int records = 0;
    int left = 0;
    List<Output.Failure> failures = new ArrayList<>();
    while (seen.size() < depth && Instant.now().isBefore(deadline)) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
          .visibilityTimeout(VISIBILITY_SECONDS).waitTimeSeconds(1)).messages().stream()
          .filter(m -> seen.add(m.messageId())).toList();
      for (Message m : batch) {
        String failure;
        int count = 0;
        try {
          BatchInfo info = BatchInfo.of(dlqName, m);
          List<Record> read = read(info);
          count = read.size();
          failure = read.isEmpty() ? "the stream holds no record in " + info.range() : invoke(info, read);
        } catch (TrimmedDataAccessException e) {
          failure = "its records are past the stream's 24-hour retention (" + e.awsErrorDetails().errorMessage()
              + "); re-emit the orders' events from their table items (see the runbook)";
        }
        if (failure == null) {
          sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
          redriven++;
          records += count;
          out.printf("  %s: %d record(s) handled again%n", m.messageId(), count);
        } else {
          left++;
          failures.add(new Output.Failure(m.messageId(), failure));
          out.printf("  %s: %s; it stays in %s%n", m.messageId(), failure, dlqName);
          sqs.changeMessageVisibility(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
      }
    }
    out.printf("redrove %d batch description(s) of %s (%d stream record(s) handled again)%s%n", redriven, dlqName, records,
        left == 0 ? "" : "; " + left + " left in the DLQ");
    return new Result(redriven, records, left, failures);
  }

  private List<Record> read(BatchInfo info) {
    String iterator = streams.getShardIterator(b -> b.streamArn(info.streamArn()).shardId(info.shardId())
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(info.start().toString())).shardIterator();
    List<Record> records = new ArrayList<>();
    int empty = 0;
    while (iterator != null && empty < MAX_EMPTY_READS) {
      String current = iterator;
      var response = streams.getRecords(b -> b.shardIterator(current));
      if (response.records().isEmpty()) {
        empty++;
      }
      for (Record r : response.records()) {
        if (new BigInteger(r.dynamodb().sequenceNumber()).compareTo(info.end()) > 0) {
          return records;
        }
        records.add(r);
      }
      iterator = response.nextShardIterator();
    }
    return records;
  }

  /** Null when the function handled every record, else why not. */
  private String invoke(BatchInfo info, List<Record> records) {
    ObjectNode event = EventJson.mapper().createObjectNode();
    ArrayNode array = event.putArray("Records");
    records.forEach(r -> array.add(lambdaForm(r, info.streamArn())));
    InvokeResponse response = lambda.invoke(b -> b.functionName(info.functionArn())
        .payload(SdkBytes.fromUtf8String(EventJson.write(event))));
    String payload = response.payload() == null ? "" : response.payload().asUtf8String();
    if (response.functionError() != null) {
      return info.functionArn() + " failed again (" + response.functionError() + ": " + payload + ")";
    }
    JsonNode result = payload.isBlank() ? null : EventJson.parse(payload);
    JsonNode failures = result == null ? null : result.path("batchItemFailures");
    if (failures != null && failures.isArray() && !failures.isEmpty()) {
      List<String> ids = new ArrayList<>();
      failures.forEach(f -> ids.add(f.path("itemIdentifier").asText()));
      return info.functionArn() + " reported " + ids.size() + " record(s) failed again (from sequence number " + ids.getFirst() + ")";
    }
    return null;
  }

  /** A Streams API record as the mapping hands it to the function: DynamoDB JSON images and the stream's ARN. */
  static ObjectNode lambdaForm(Record r, String streamArn) {
    ObjectNode json = EventJson.mapper().createObjectNode();
    json.put("eventID", r.eventID());
    json.put("eventName", r.eventNameAsString());
    json.put("eventVersion", r.eventVersion());
    json.put("eventSource", r.eventSource());
    json.put("awsRegion", r.awsRegion());
    ObjectNode dynamodb = json.putObject("dynamodb");
    var s = r.dynamodb();
    if (s.approximateCreationDateTime() != null) {
      dynamodb.put("ApproximateCreationDateTime", s.approximateCreationDateTime().getEpochSecond());
    }
    dynamodb.set("Keys", item(s.keys()));
    if (s.hasNewImage()) {
      dynamodb.set("NewImage", item(s.newImage()));
    }
    if (s.hasOldImage()) {
      dynamodb.set("OldImage", item(s.oldImage()));
    }
    dynamodb.put("SequenceNumber", s.sequenceNumber());
    dynamodb.put("SizeBytes", s.sizeBytes());
    dynamodb.put("StreamViewType", s.streamViewTypeAsString());
    json.put("eventSourceARN", streamArn);
    return json;
  }

  private static ObjectNode item(Map<String, AttributeValue> item) {
    ObjectNode json = EventJson.mapper().createObjectNode();
    item.forEach((k, v) -> json.set(k, value(v)));
    return json;
  }

  /** An attribute value in DynamoDB JSON ({@code {"S": "..."}}, {@code {"M": {...}}}, ...). */
  static ObjectNode value(AttributeValue v) {
    ObjectNode json = EventJson.mapper().createObjectNode();
    switch (v.type()) {
      case S -> json.put("S", v.s());
      case N -> json.put("N", v.n());
      case B -> json.put("B", base64(v.b()));
      case BOOL -> json.put("BOOL", v.bool());
      case NUL -> json.put("NULL", true);
      case SS -> v.ss().forEach(json.putArray("SS")::add);
      case NS -> v.ns().forEach(json.putArray("NS")::add);
      case BS -> v.bs().forEach(b -> json.withArray("BS").add(base64(b)));
      case M -> json.set("M", item(v.m()));
      case L -> v.l().forEach(e -> json.withArray("L").add(value(e)));
      default -> throw new IllegalArgumentException("attribute value of unknown type: " + v);
    }
    return json;
  }

  private static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArray());
  }

  /** The parts of Lambda's on-failure record a redrive needs. */
  record BatchInfo(String functionArn, String streamArn, String shardId, BigInteger start, BigInteger end) {
    static BatchInfo of(String dlqName, Message m) {
      JsonNode json;
      try {
        json = EventJson.parse(m.body());
      } catch (RuntimeException e) {
        json = null;
      }
      JsonNode info = json == null ? null : json.path("DDBStreamBatchInfo");
      if (info == null || !info.hasNonNull("streamArn") || !info.hasNonNull("shardId") || !info.hasNonNull("startSequenceNumber")
          || !info.hasNonNull("endSequenceNumber") || !json.path("requestContext").hasNonNull("functionArn")) {
        throw new OpsException(Fanout.REFUSED, "message " + m.messageId() + " of " + dlqName + " is not a stream batch"
            + " description (DDBStreamBatchInfo and requestContext.functionArn); nothing was redriven from it."
            + " Inspect it with fanout dlq inspect.");
      }
      return new BatchInfo(json.path("requestContext").path("functionArn").asText(), info.get("streamArn").asText(),
          info.get("shardId").asText(), new BigInteger(info.get("startSequenceNumber").asText()),
          new BigInteger(info.get("endSequenceNumber").asText()));
    }

    String range() {
      return "sequence numbers " + start + ".." + end;
    }
  }
}
