package com.example.fanout.local.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table whose writes feed a stream: its key attributes, view type, the feeds reading it, and the
 * stream's one shard as the Streams API reads it. With a {@link StreamStore} that keeps files, the
 * records written before a restart are read back and the sequence numbers carry on after them.
 */
final class StreamTable {
  /**
   * The local stream's label: AWS labels a stream with its creation time; one fixed label keeps ARNs
   * stable across runs, and it is the label the offline provider gives {@code stream_arn} in the
   * mock-applied state, so the stream ARNs the planned roles grant are the ones served here.
   */
  static final String STREAM_LABEL = "2026-01-01T00:00:00.000";
  /** Locally a stream has one shard that never splits. */
  static final String SHARD_ID = "shardId-00000000000000000001-00000001";

  final String name;
  final String partitionKey;
  final String sortKey;
  final String viewType;
  final List<StreamFeed> feeds = new CopyOnWriteArrayList<>();
  final AtomicLong sequence = new AtomicLong(100_000_000_000_000_000L);
  final Object emitLock = new Object();
  final StreamLog log = new StreamLog();
  final String streamArn;
  private final StreamStore store;

  StreamTable(String name, String partitionKey, String sortKey, String viewType, String region, String account, StreamStore store) {
    this.name = name;
    this.streamArn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name + "/stream/" + STREAM_LABEL;
    this.partitionKey = partitionKey;
    this.sortKey = sortKey;
    this.viewType = viewType;
    this.store = store;
    for (StreamLog.Entry e : store.load(name)) {
      log.append(e.sequenceNumber(), e.streamsForm(), e.written());
      sequence.accumulateAndGet(e.sequenceNumber(), Math::max);
    }
  }

  /** Logs a numbered record and hands it to every feed; the caller holds {@link #emitLock}. */
  void emit(StreamLog.Entry entry) {
    log.append(entry.sequenceNumber(), entry.streamsForm(), entry.written());
    store.append(name, entry);
    offer(entry, feeds);
  }

  /** Offers {@code feed} the kept records after its checkpoints, before any new record reaches it. */
  void resume(StreamFeed feed) {
    synchronized (emitLock) {
      long handled = feed.resumeFrom(store);
      log.read(handled + 1, Integer.MAX_VALUE).forEach(e -> offer(e, List.of(feed)));
      feeds.add(feed);
    }
  }

  private void offer(StreamLog.Entry entry, List<StreamFeed> to) {
    DynamodbEvent.DynamodbStreamRecord record = record(entry);
    ObjectNode lambdaForm = entry.streamsForm().deepCopy();
    lambdaForm.put("eventSourceARN", streamArn);
    to.forEach(f -> f.offer(record, lambdaForm));
  }

  /** The record as the Lambda event model carries it, from its Streams API form. */
  private DynamodbEvent.DynamodbStreamRecord record(StreamLog.Entry entry) {
    JsonNode json = entry.streamsForm();
    JsonNode dynamodb = json.get("dynamodb");
    StreamRecord sr = new StreamRecord();
    sr.setKeys(StreamImages.item(dynamodb.get("Keys")));
    sr.setNewImage(StreamImages.item(dynamodb.get("NewImage")));
    sr.setOldImage(StreamImages.item(dynamodb.get("OldImage")));
    sr.setSequenceNumber(dynamodb.get("SequenceNumber").asText());
    sr.setSizeBytes(dynamodb.get("SizeBytes").asLong());
    sr.setStreamViewType(StreamViewType.fromValue(dynamodb.get("StreamViewType").asText()));
    sr.setApproximateCreationDateTime(Date.from(entry.written()));
    DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
    record.setEventID(json.get("eventID").asText());
    record.setEventName(json.get("eventName").asText());
    record.setEventVersion(json.get("eventVersion").asText());
    record.setEventSource(json.get("eventSource").asText());
    record.setAwsRegion(json.get("awsRegion").asText());
    record.setEventSourceARN(streamArn);
    record.setDynamodb(sr);
    return record;
  }
}
