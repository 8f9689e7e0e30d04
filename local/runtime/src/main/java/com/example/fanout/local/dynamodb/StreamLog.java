package com.example.fanout.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The records of one table's stream, by sequence number, as DynamoDB Streams keeps them for
 * {@code GetRecords}: 24 hours, after which a read from an older position is refused as trimmed.
 * The runtime keeps at most {@link #MAX_RECORDS} so a long local run stays within memory; the
 * oldest go first, exactly as if they had aged out.
 */
final class StreamLog {
  static final Duration RETENTION = Duration.ofHours(24);
  static final int MAX_RECORDS = 200_000;

  /** A record in the Streams API's JSON form, and when it was written. */
  record Entry(long sequenceNumber, JsonNode streamsForm, Instant written) {}

  private final ConcurrentSkipListMap<Long, Entry> entries = new ConcurrentSkipListMap<>();
  private final Duration retention;
  private final int maxRecords;

  StreamLog() {
    this(RETENTION, MAX_RECORDS);
  }

  StreamLog(Duration retention, int maxRecords) {
    this.retention = retention;
    this.maxRecords = maxRecords;
  }

  void append(long sequenceNumber, JsonNode streamsForm, Instant written) {
    entries.put(sequenceNumber, new Entry(sequenceNumber, streamsForm, written));
    trim(written);
  }

  /** The oldest sequence number still readable (the trim horizon); empty when nothing is kept. */
  java.util.Optional<Long> horizon(Instant now) {
    trim(now);
    Map.Entry<Long, Entry> first = entries.firstEntry();
    return first == null ? java.util.Optional.empty() : java.util.Optional.of(first.getKey());
  }

  /** Up to {@code limit} records from {@code fromInclusive} on, in order. */
  List<Entry> read(long fromInclusive, int limit) {
    return entries.tailMap(fromInclusive, true).values().stream().limit(limit).toList();
  }

  private void trim(Instant now) {
    Instant oldest = now.minus(retention);
    while (!entries.isEmpty()) {
      Map.Entry<Long, Entry> first = entries.firstEntry();
      if (first == null || (entries.size() <= maxRecords && !first.getValue().written().isBefore(oldest))) {
        return;
      }
      entries.remove(first.getKey());
    }
  }
}
