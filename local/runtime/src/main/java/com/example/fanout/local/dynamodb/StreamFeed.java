package com.example.fanout.local.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.example.fanout.local.lambda.FunctionTimeoutException;
import com.example.fanout.local.lambda.LocalFunction;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-source mapping of one DynamoDB stream trigger, as Lambda runs it on a shard:
 * <ul>
 *   <li>{@code FilterCriteria}: records no pattern matches never invoke the function;</li>
 *   <li>{@code ParallelizationFactor}: records go to one of N lanes by partition key, each lane
 *       with its own batches in flight, so the order per key is kept while keys proceed in
 *       parallel;</li>
 *   <li>{@code ReportBatchItemFailures}: a response naming failed sequence numbers checkpoints
 *       before the first of them and retries only from there;</li>
 *   <li>{@code BisectBatchOnFunctionError}: a batch whose invocation fails as a whole (an
 *       exception, a timeout, an invalid response) is split in halves retried separately, so a
 *       burst that times out does not republish the part that went through more than once;</li>
 *   <li>a record still failing after {@link #MAX_ATTEMPTS} attempts is skipped and the lane moves
 *       on; as with Lambda's {@code DestinationConfig.OnFailure}, the description of the records
 *       given up on ({@code DDBStreamBatchInfo}: shard, first and last sequence number, stream ARN)
 *       goes to the mapping's on-failure destination, from which {@code fanout dlq redrive} reads
 *       them back through the Streams API and invokes the function again.</li>
 * </ul>
 */
public final class StreamFeed implements AutoCloseable {
  static final int MAX_ATTEMPTS = 5;
  /** Put in each lane at the stop, so that a lane waiting for records wakes and ends. */
  private static final DynamodbEvent.DynamodbStreamRecord STOP = new DynamodbEvent.DynamodbStreamRecord();
  private static final Logger LOG = LoggerFactory.getLogger(StreamFeed.class);

  /** One invocation of the function with a batch. */
  @FunctionalInterface
  public interface Invoker {
    Object invoke(DynamodbEvent event) throws Exception;
  }

  private final String name;
  private final String functionName;
  private final int batchSize;
  private final Duration window;
  private final StreamFilter filter;
  private final Invoker invoker;
  private final SpanLog spans;
  private final List<Lane> lanes = new ArrayList<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong filtered = new AtomicLong();
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong bisections = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile java.util.function.BiConsumer<String, Duration> iteratorAges = (function, age) -> {};
  private volatile java.util.function.Consumer<String> onFailure = record ->
      LOG.error("{}: no on-failure destination, the description of a skipped batch is lost: {}", StreamFeed.this.name, record);
  private volatile java.util.function.Predicate<TimeoutPoint> timeoutFault = point -> false;
  private volatile int timeoutSeconds;
  private volatile StreamStore checkpoints = StreamStore.memory();
  private String streamArn = "";
  private String shardId = "";
  private String functionArn;

  /**
   * @param window          the batching window in real time (the configured one scaled by the local clock)
   * @param parallelization lanes (Lambda's ParallelizationFactor, 1..10)
   */
  StreamFeed(String name, int batchSize, Duration window, int parallelization, StreamFilter filter,
      String functionName, Invoker invoker, SpanLog spans) {
    if (batchSize < 1 || parallelization < 1 || parallelization > 10) {
      throw new IllegalArgumentException("batch size " + batchSize + ", parallelization " + parallelization);
    }
    this.name = name;
    this.functionName = functionName;
    this.batchSize = batchSize;
    this.window = window;
    this.filter = filter;
    this.invoker = invoker;
    this.spans = spans;
    this.functionArn = functionName;
    for (int i = 0; i < parallelization; i++) {
      lanes.add(new Lane(i));
    }
  }

  /** @param lambdaForm the record as Lambda's JSON shows it, what filter patterns match */
  void offer(DynamodbEvent.DynamodbStreamRecord record, JsonNode lambdaForm) {
    if (!filter.matches(lambdaForm)) {
      filtered.incrementAndGet();
      return;
    }
    String key = lambdaForm.path("dynamodb").path("Keys").toString();
    Lane lane = lanes.get(Math.floorMod(key.hashCode(), lanes.size()));
    if (Long.parseLong(record.getDynamodb().getSequenceNumber()) > lane.checkpoint) {
      lane.records.add(record);
    }
  }

  /**
   * Takes the checkpoints {@code store} kept for this mapping, so that records a lane handled before
   * a restart are not offered to it again, and keeps each lane's new checkpoint there. Returns the
   * lowest: every record up to it was handled.
   */
  long resumeFrom(StreamStore store) {
    long[] kept = store.checkpoints(name, lanes.size());
    for (int i = 0; i < kept.length; i++) {
      lanes.get(i).checkpoint = kept[i];
    }
    this.checkpoints = store;
    return java.util.Arrays.stream(kept).min().orElse(0);
  }

  private void checkpoint(Lane lane, List<DynamodbEvent.DynamodbStreamRecord> handled) {
    lane.checkpoint = Long.parseLong(handled.getLast().getDynamodb().getSequenceNumber());
    synchronized (lanes) {
      try {
        checkpoints.checkpoint(name, lanes.stream().mapToLong(l -> l.checkpoint).toArray());
      } catch (java.io.UncheckedIOException e) {
        // e.g. the mapping stopping mid-write: the kept checkpoint is the previous one, so after a
        // restart this batch is offered again (at least once, as Lambda after a lost checkpoint).
        LOG.warn("{}: checkpoint at {} not kept: {}", name, lane.checkpoint, e.getCause().toString());
      }
    }
  }

  /** The stream and shard this mapping reads, as the on-failure record names them. */
  StreamFeed readingShard(String arn, String shard) {
    this.streamArn = arn;
    this.shardId = shard;
    return this;
  }

  /** The ARN of the stream this mapping reads. */
  public String streamArn() {
    return streamArn;
  }

  /**
   * Where the description of a batch given up on goes ({@code DestinationConfig.OnFailure}), and the
   * ARN of the function as Lambda names it there ({@code requestContext.functionArn}).
   */
  public void sendFailuresTo(String invokedFunctionArn, java.util.function.Consumer<String> destination) {
    this.functionArn = invokedFunctionArn;
    this.onFailure = destination;
  }

  /** Where an injected timeout strikes: before the handler got anything done, or after it did its work. */
  public enum TimeoutPoint { BEFORE_HANDLER, AFTER_HANDLER }

  /** Asked before and after each invocation: true makes it a timeout of the function's {@code seconds} there (an injected fault). */
  public void injectTimeouts(java.util.function.Predicate<TimeoutPoint> fault, int seconds) {
    this.timeoutFault = fault;
    this.timeoutSeconds = seconds;
  }

  /** Who is told, at each invocation, the age of the batch's last record (Lambda's IteratorAge). */
  public void observe(java.util.function.BiConsumer<String, Duration> value) {
    this.iteratorAges = value;
  }

  /** Records handed to the function and checkpointed. */
  public long delivered() {
    return delivered.get();
  }

  /** Records the filter criteria kept from the function. */
  public long filtered() {
    return filtered.get();
  }

  public long invocations() {
    return invocations.get();
  }

  public long bisections() {
    return bisections.get();
  }

  public long dropped() {
    return dropped.get();
  }

  private final class Lane {
    final LinkedBlockingQueue<DynamodbEvent.DynamodbStreamRecord> records = new LinkedBlockingQueue<>();
    final Thread dispatcher;
    /** The sequence number of the last record this lane handled: delivered, or described to the on-failure destination. */
    volatile long checkpoint;

    Lane(int index) {
      dispatcher = Thread.ofPlatform().daemon().name("stream-" + name + "-" + index).start(this::dispatch);
    }

    /**
     * Batches and delivers until the stop. Records taken but not handed to the function by then are
     * left: they lie after the checkpoint, so a restart offers them again.
     */
    private void dispatch() {
      try {
        while (running()) {
          List<DynamodbEvent.DynamodbStreamRecord> next = new ArrayList<>();
          DynamodbEvent.DynamodbStreamRecord first = records.take();
          if (first == STOP) {
            return;
          }
          next.add(first);
          long deadline = System.nanoTime() + window.toNanos();
          while (next.size() < batchSize) {
            long left = deadline - System.nanoTime();
            DynamodbEvent.DynamodbStreamRecord r = left > 0 ? records.poll(left, TimeUnit.NANOSECONDS) : records.poll();
            if (r == null) {
              break;
            }
            if (r == STOP) {
              return;
            }
            next.add(r);
          }
          if (running() && deliver(next)) {
            checkpoint(this, next);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Invokes until the batch is through, bisecting on function errors, retrying failed tails. Answers
   * false when the mapping stopped first, with a retry still to make: the batch is not checkpointed.
   */
  private boolean deliver(List<DynamodbEvent.DynamodbStreamRecord> batchRecords) throws InterruptedException {
    List<DynamodbEvent.DynamodbStreamRecord> pending = batchRecords;
    for (int attempt = 1; ; attempt++) {
      Instant start = Instant.now();
      java.util.Date created = pending.getLast().getDynamodb().getApproximateCreationDateTime();
      if (created != null) {
        iteratorAges.accept(functionName, Duration.between(created.toInstant(), start));
      }
      Attempt outcome = invokeOnce(pending, attempt);
      int firstFailed = outcome.firstFailed();
      if (firstFailed == FUNCTION_ERROR && pending.size() > 1) {
        bisections.incrementAndGet();
        int half = pending.size() / 2;
        LOG.warn("{}: bisecting the failed batch of {} into {} and {}", name, pending.size(), half, pending.size() - half);
        return deliver(List.copyOf(pending.subList(0, half)))
            && deliver(List.copyOf(pending.subList(half, pending.size())));
      }
      if (firstFailed == FUNCTION_ERROR) {
        firstFailed = 0;
      }
      List<DynamodbEvent.DynamodbStreamRecord> done = pending.subList(0, firstFailed < 0 ? pending.size() : firstFailed);
      delivered.addAndGet(done.size());
      for (DynamodbEvent.DynamodbStreamRecord r : done) {
        spans.record("dynamodb", "stream record delivered", refOf(r), null, start, Instant.now(), Span.OK,
            functionName + " " + r.getEventName() + " seq " + r.getDynamodb().getSequenceNumber());
      }
      if (firstFailed < 0) {
        return true;
      }
      pending = List.copyOf(pending.subList(firstFailed, pending.size()));
      if (attempt >= MAX_ATTEMPTS) {
        dropped.addAndGet(pending.size());
        for (DynamodbEvent.DynamodbStreamRecord r : pending) {
          spans.hop("dynamodb", "stream record sent to the on-failure destination after retries", refOf(r), null, Span.ERROR, functionName);
        }
        String description = StreamBatchFailure.describe(functionArn, streamArn, shardId, pending, attempt, outcome.error());
        LOG.error("{}: gave up on {} record(s) after {} attempts, described in the on-failure destination: {}",
            name, pending.size(), attempt, description);
        onFailure.accept(description);
        return true;
      }
      if (stopping.await(Math.min(2000, 100L << attempt), TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
  }

  private static final int FUNCTION_ERROR = -2;

  /**
   * One invocation's outcome: {@code firstFailed} is -1 when the whole batch succeeded, the index of
   * the first record to retry, or {@link #FUNCTION_ERROR} with the {@code error} that failed it.
   */
  private record Attempt(int firstFailed, Exception error) {}

  private Attempt invokeOnce(List<DynamodbEvent.DynamodbStreamRecord> records, int attempt) throws InterruptedException {
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(new ArrayList<>(records));
    invocations.incrementAndGet();
    try {
      if (timeoutFault.test(TimeoutPoint.BEFORE_HANDLER)) {
        throw new FunctionTimeoutException(functionName, timeoutSeconds);
      }
      Object result = invoker.invoke(event);
      if (timeoutFault.test(TimeoutPoint.AFTER_HANDLER)) {
        throw new FunctionTimeoutException(functionName, timeoutSeconds);
      }
      return new Attempt(firstFailure(result, records), null);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("{}: stream batch of {} failed (attempt {} of {}): {}", name, records.size(), attempt, MAX_ATTEMPTS, e.toString());
      return new Attempt(FUNCTION_ERROR, e);
    }
  }


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
        LOG.warn("{}: batch item failure '{}' names no record of the batch: Lambda fails the whole batch", name, f.getItemIdentifier());
        return FUNCTION_ERROR;
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

  private boolean running() {
    return stopping.getCount() > 0;
  }

  /** The first step of {@link #close()}: no lane starts another batch or retry. */
  public void stopTaking() {
    if (running()) {
      stopping.countDown();
      lanes.forEach(l -> l.records.add(STOP));
    }
  }

  /**
   * Stops the way a clean stop of the platform should: no lane starts another batch or retry, and
   * the batches being handled finish and are checkpointed as usual, so that the function's late
   * run does not race the restart's redelivery of the same records. Only a lane whose invocation
   * outlasts the grace is interrupted; its batch comes again after a restart.
   */
  @Override
  public void close() {
    stopTaking();
    long deadline = System.nanoTime() + LocalFunction.TRIGGER_STOP_GRACE.toNanos();
    try {
      for (Lane lane : lanes) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !lane.dispatcher.join(Duration.ofNanos(left))) {
          LOG.warn("{}: a batch still being handled {} after the stop; interrupted", name, LocalFunction.TRIGGER_STOP_GRACE);
          lane.dispatcher.interrupt();
        }
      }
    } catch (InterruptedException e) {
      lanes.forEach(l -> l.dispatcher.interrupt());
      Thread.currentThread().interrupt();
    }
  }
}
