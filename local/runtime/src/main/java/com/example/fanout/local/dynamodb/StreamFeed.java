package com.example.fanout.local.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.example.fanout.local.lambda.LocalFunction;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.manifest.ServiceManifest.Batch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-source mapping of one DynamoDB stream trigger: records arrive in commit order (the
 * proxy serialises writes to the table) and one dispatcher hands them to the function in batches,
 * so the order per key, and indeed per table, is kept. A failing batch (or its failed tail, with
 * {@code ReportBatchItemFailures}) is retried, blocking the records behind it as a shard would,
 * and dropped after {@link #MAX_ATTEMPTS} attempts (the mapping's maximum retry attempts).
 */
public final class StreamFeed implements AutoCloseable {
  static final int MAX_ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(StreamFeed.class);

  private final String name;
  private final Batch batch;
  private final LocalFunction function;
  private final SpanLog spans;
  private final LinkedBlockingQueue<DynamodbEvent.DynamodbStreamRecord> records = new LinkedBlockingQueue<>();
  private final AtomicLong delivered = new AtomicLong();
  private final Thread dispatcher;
  private volatile java.util.function.BiConsumer<String, Duration> iteratorAges = (function, age) -> {};

  public StreamFeed(String name, Batch batch, LocalFunction function, SpanLog spans) {
    this.name = name;
    this.batch = batch;
    this.function = function;
    this.spans = spans;
    this.dispatcher = Thread.ofPlatform().daemon().name("stream-" + name).start(this::dispatch);
  }

  void offer(DynamodbEvent.DynamodbStreamRecord record) {
    records.add(record);
  }

  /** Who is told, at each invocation, the age of the batch's last record (Lambda's IteratorAge). */
  public void observe(java.util.function.BiConsumer<String, Duration> value) {
    this.iteratorAges = value;
  }

  public long delivered() {
    return delivered.get();
  }

  public int pending() {
    return records.size();
  }

  private void dispatch() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        List<DynamodbEvent.DynamodbStreamRecord> next = new ArrayList<>();
        next.add(records.take());
        long deadline = System.nanoTime() + Duration.ofSeconds(batch.windowSeconds()).toNanos();
        while (next.size() < batch.size()) {
          long left = deadline - System.nanoTime();
          DynamodbEvent.DynamodbStreamRecord r = left > 0 ? records.poll(left, TimeUnit.NANOSECONDS) : records.poll();
          if (r == null) {
            break;
          }
          next.add(r);
        }
        deliver(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Invokes until the batch is through. A {@link StreamsEventResponse} with item failures
   * checkpoints as Lambda does: the records before the first failed sequence number count as
   * processed and the rest is retried; an identifier that names no record fails the whole batch.
   */
  private void deliver(List<DynamodbEvent.DynamodbStreamRecord> batchRecords) throws InterruptedException {
    List<DynamodbEvent.DynamodbStreamRecord> pending = batchRecords;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      DynamodbEvent event = new DynamodbEvent();
      event.setRecords(pending);
      Instant start = Instant.now();
      java.util.Date created = pending.getLast().getDynamodb().getApproximateCreationDateTime();
      if (created != null) {
        iteratorAges.accept(function.name(), Duration.between(created.toInstant(), start));
      }
      int firstFailed;
      try {
        firstFailed = firstFailure(function.invoke(event), pending);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("{}: stream batch of {} failed (attempt {} of {}): {}", name, pending.size(), attempt, MAX_ATTEMPTS, e.toString());
        firstFailed = 0;
      }
      List<DynamodbEvent.DynamodbStreamRecord> done = pending.subList(0, firstFailed < 0 ? pending.size() : firstFailed);
      delivered.addAndGet(done.size());
      for (DynamodbEvent.DynamodbStreamRecord r : done) {
        spans.record("dynamodb", "stream record delivered", refOf(r), null, start, Instant.now(), Span.OK,
            function.name() + " " + r.getEventName() + " seq " + r.getDynamodb().getSequenceNumber());
      }
      if (firstFailed < 0) {
        return;
      }
      pending = List.copyOf(pending.subList(firstFailed, pending.size()));
      Thread.sleep(Math.min(2000, 100L << attempt));
    }
    for (DynamodbEvent.DynamodbStreamRecord r : pending) {
      spans.hop("dynamodb", "stream record dropped after retries", refOf(r), null, Span.ERROR, function.name());
    }
  }

  /** Index of the first record to retry, or -1 when the whole batch succeeded. */
  private int firstFailure(Object result, List<DynamodbEvent.DynamodbStreamRecord> records) {
    if (!(result instanceof StreamsEventResponse response) || response.getBatchItemFailures() == null
        || response.getBatchItemFailures().isEmpty()) {
      return -1;
    }
    int first = Integer.MAX_VALUE;
    for (StreamsEventResponse.BatchItemFailure f : response.getBatchItemFailures()) {
      int index = -1;
      for (int i = 0; i < records.size(); i++) {
        if (records.get(i).getDynamodb().getSequenceNumber().equals(f.getItemIdentifier())) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        LOG.warn("{}: batch item failure '{}' names no record of the batch: Lambda retries the whole batch", name, f.getItemIdentifier());
        return 0;
      }
      first = Math.min(first, index);
    }
    return first;
  }

  private static EventRef refOf(DynamodbEvent.DynamodbStreamRecord r) {
    var image = r.getDynamodb().getNewImage() != null ? r.getDynamodb().getNewImage() : r.getDynamodb().getOldImage();
    String correlationId = null;
    if (image != null) {
      var c = image.get("correlationId");
      if (c == null) {
        c = image.get("correlation_id");
      }
      correlationId = c == null ? null : c.getS();
    }
    return new EventRef(correlationId, r.getEventID(), "stream " + r.getEventName());
  }

  @Override
  public void close() {
    dispatcher.interrupt();
  }
}
