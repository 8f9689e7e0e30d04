package com.example.fanout.local.dynamodb;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * DynamoDB Streams' JSON 1.0 API ({@code X-Amz-Target: DynamoDBStreams_20120810.*}) over the local
 * tables' stream logs: {@code ListStreams}, {@code DescribeStream}, {@code GetShardIterator} (all four
 * iterator types) and {@code GetRecords}, served on the DynamoDB endpoint so that
 * {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS} can point at it. What on-call reads back after a stream
 * DLQ names a failed batch by its sequence numbers. Each stream has one shard that never closes; a
 * position older than the trim horizon is refused with {@code TrimmedDataAccessException}, as AWS
 * does after 24 hours. Iterators do not expire.
 */
final class StreamsApi {
  static final String TARGET_PREFIX = "DynamoDBStreams_20120810.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final int MAX_LIMIT = 1000;

  private final Supplier<Collection<StreamTable>> tables;

  StreamsApi(Supplier<Collection<StreamTable>> tables) {
    this.tables = tables;
  }

  void handle(HttpExchange exchange, String operation, byte[] body) throws IOException {
    try {
      JsonNode request = body.length == 0 ? EventJson.mapper().createObjectNode() : EventJson.mapper().readTree(body);
      ObjectNode response = switch (operation) {
        case "ListStreams" -> listStreams(request);
        case "DescribeStream" -> describeStream(request);
        case "GetShardIterator" -> getShardIterator(request);
        case "GetRecords" -> getRecords(request);
        default -> throw new ApiError(400, "UnknownOperationException", "DynamoDB Streams has no operation " + operation);
      };
      HttpExchanges.send(exchange, 200, CONTENT_TYPE, EventJson.write(response));
    } catch (ApiError e) {
      ObjectNode error = EventJson.mapper().createObjectNode();
      error.put("__type", "com.amazonaws.dynamodb.v20120810#" + e.code);
      error.put("message", e.getMessage());
      HttpExchanges.send(exchange, e.status, CONTENT_TYPE, EventJson.write(error));
    } catch (IOException | RuntimeException e) {
      ObjectNode error = EventJson.mapper().createObjectNode();
      error.put("__type", "com.amazonaws.dynamodb.v20120810#ValidationException");
      error.put("message", "cannot read the request: " + e.getMessage());
      HttpExchanges.send(exchange, 400, CONTENT_TYPE, EventJson.write(error));
    }
  }

  private ObjectNode listStreams(JsonNode request) {
    ObjectNode out = EventJson.mapper().createObjectNode();
    ArrayNode streams = out.putArray("Streams");
    String table = request.path("TableName").asText(null);
    tables.get().stream().filter(t -> table == null || t.name.equals(table)).forEach(t -> {
      ObjectNode s = streams.addObject();
      s.put("StreamArn", t.streamArn);
      s.put("TableName", t.name);
      s.put("StreamLabel", StreamTable.STREAM_LABEL);
    });
    return out;
  }

  private ObjectNode describeStream(JsonNode request) {
    StreamTable t = table(request.path("StreamArn").asText(""));
    ObjectNode out = EventJson.mapper().createObjectNode();
    ObjectNode d = out.putObject("StreamDescription");
    d.put("StreamArn", t.streamArn);
    d.put("StreamLabel", StreamTable.STREAM_LABEL);
    d.put("StreamStatus", "ENABLED");
    d.put("StreamViewType", t.viewType.toUpperCase(java.util.Locale.ROOT));
    d.put("TableName", t.name);
    ArrayNode keys = d.putArray("KeySchema");
    keys.addObject().put("AttributeName", t.partitionKey).put("KeyType", "HASH");
    if (t.sortKey != null) {
      keys.addObject().put("AttributeName", t.sortKey).put("KeyType", "RANGE");
    }
    ObjectNode shard = d.putArray("Shards").addObject();
    shard.put("ShardId", StreamTable.SHARD_ID);
    shard.putObject("SequenceNumberRange").put("StartingSequenceNumber",
        Long.toString(t.log.horizon(Instant.now()).orElse(t.sequence.get() + 1)));
    return out;
  }

  private ObjectNode getShardIterator(JsonNode request) {
    StreamTable t = table(request.path("StreamArn").asText(""));
    String shard = request.path("ShardId").asText("");
    if (!StreamTable.SHARD_ID.equals(shard)) {
      throw new ApiError(400, "ResourceNotFoundException", "Requested resource not found: Shard: " + shard + " in Stream: " + t.streamArn);
    }
    long next = t.sequence.get() + 1;
    long horizon = t.log.horizon(Instant.now()).orElse(next);
    String type = request.path("ShardIteratorType").asText("");
    long position = switch (type) {
      case "TRIM_HORIZON" -> horizon;
      case "LATEST" -> next;
      case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
        long sequence = sequenceNumber(request.path("SequenceNumber").asText(""));
        if (sequence < horizon) {
          throw new ApiError(400, "TrimmedDataAccessException", "The operation attempted to read past the oldest stream"
              + " record in a shard: sequence number " + sequence + " is older than the trim horizon " + horizon);
        }
        yield type.equals("AT_SEQUENCE_NUMBER") ? sequence : sequence + 1;
      }
      default -> throw new ApiError(400, "ValidationException", "1 validation error detected: Value '" + type
          + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set:"
          + " [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
    };
    ObjectNode out = EventJson.mapper().createObjectNode();
    out.put("ShardIterator", iterator(t, position));
    return out;
  }

  private ObjectNode getRecords(JsonNode request) {
    String[] parts = decode(request.path("ShardIterator").asText(""));
    StreamTable t = table(parts[0]);
    long position = Long.parseLong(parts[1]);
    int limit = request.path("Limit").asInt(MAX_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiError(400, "ValidationException", "Limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (position < t.log.horizon(Instant.now()).orElse(position)) {
      throw new ApiError(400, "TrimmedDataAccessException", "The iterator's position " + position + " has been trimmed");
    }
    ObjectNode out = EventJson.mapper().createObjectNode();
    ArrayNode records = out.putArray("Records");
    long nextPosition = position;
    for (StreamLog.Entry e : t.log.read(position, limit)) {
      records.add(e.streamsForm());
      nextPosition = e.sequenceNumber() + 1;
    }
    out.put("NextShardIterator", iterator(t, nextPosition));
    return out;
  }

  private StreamTable table(String streamArn) {
    return tables.get().stream().filter(t -> t.streamArn.equals(streamArn)).findFirst()
        .orElseThrow(() -> new ApiError(400, "ResourceNotFoundException", "Requested resource not found: Stream: " + streamArn + " not found"));
  }

  private static long sequenceNumber(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "ValidationException", "Invalid SequenceNumber: '" + text + "'");
    }
  }

  private static String iterator(StreamTable t, long position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((t.streamArn + "|" + position).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String iterator) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8);
      int bar = text.lastIndexOf('|');
      Long.parseLong(text.substring(bar + 1));
      return new String[] {text.substring(0, bar), text.substring(bar + 1)};
    } catch (RuntimeException e) {
      throw new ApiError(400, "ValidationException", "Invalid ShardIterator");
    }
  }

  private static final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }
}
