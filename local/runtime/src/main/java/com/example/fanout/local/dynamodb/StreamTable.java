package com.example.fanout.local.dynamodb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A table whose writes feed a stream: its key attributes, view type and the feeds reading it. */
final class StreamTable {
  final String name;
  final String partitionKey;
  final String sortKey;
  final String viewType;
  final List<StreamFeed> feeds = new CopyOnWriteArrayList<>();
  final AtomicLong sequence = new AtomicLong(100_000_000_000_000_000L);
  final Object writeLock = new Object();

  StreamTable(String name, String partitionKey, String sortKey, String viewType) {
    this.name = name;
    this.partitionKey = partitionKey;
    this.sortKey = sortKey;
    this.viewType = viewType;
  }
}
