package com.example.fanout.local.dynamodb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table whose writes feed a stream: its key attributes, view type, the feeds reading it, and the
 * stream's one shard as the Streams API reads it.
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

  StreamTable(String name, String partitionKey, String sortKey, String viewType, String region, String account) {
    this.name = name;
    this.streamArn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name + "/stream/" + STREAM_LABEL;
    this.partitionKey = partitionKey;
    this.sortKey = sortKey;
    this.viewType = viewType;
  }
}
