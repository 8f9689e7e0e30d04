package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.ConsumerFaults;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.sqs.QueueRef;
import com.example.fanout.manifest.ServiceManifest.Batch;
import com.example.fanout.manifest.ServiceManifest.QueueSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * An SQS event-source mapping: long-polls the consumer's queue, gathers a batch by size and
 * batching window (exact, and scaled by the local clock like every other timer, see
 * {@link BatchCollector}), invokes the function with at most {@code max_concurrency} batches in flight,
 * and applies {@code ReportBatchItemFailures}: only the successes are deleted; failures become
 * visible again after the visibility timeout (shortened by the clock speed) and SQS moves them to
 * the DLQ after maxReceiveCount receives.
 */
public final class SqsEventSourceMapping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsEventSourceMapping.class);
  private static final Pattern CORRELATION_ID = Pattern.compile("\"correlationId\"\\s*:\\s*\"([^\"]+)\"");
  private static final Duration MAX_THROTTLE_BACKOFF = Duration.ofSeconds(2);
  /** A receive's long poll lasts 1 s, and the batching window closes as soon as the mapping stops. */
  private static final Duration POLLER_GRACE = Duration.ofSeconds(3);

  private final String consumer;
  private final QueueRef queue;
  private final Batch batch;
  private final QueueSpec queueSpec;
  private final LocalFunction function;
  private final SqsClient sqs;
  private final SpanLog spans;
  private final FaultPlan faultPlan;
  private final LocalClock clock;
  private final int maxConcurrency;
  private final Semaphore permits;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Stats stats = new Stats();
  private volatile boolean running = true;
  private volatile boolean paused;
  private final Object pollLock = new Object();
  private final Thread poller;
  private final BatchCollector<Message> collector;

  public SqsEventSourceMapping(String consumer, QueueRef queue, Batch batch, QueueSpec queueSpec, int reservedConcurrency,
      LocalFunction function, SqsClient sqs, SpanLog spans, FaultPlan faultPlan, LocalClock clock) {
    this.consumer = consumer;
    this.queue = queue;
    this.batch = batch;
    this.queueSpec = queueSpec;
    this.function = function;
    this.sqs = sqs;
    this.spans = spans;
    this.faultPlan = faultPlan;
    this.clock = clock;
    this.maxConcurrency = Math.max(1, batch.maxConcurrency() != null ? batch.maxConcurrency() : reservedConcurrency);
    this.permits = new Semaphore(maxConcurrency);
    this.collector = new BatchCollector<>(batch.size(), 10, clock.toReal(Duration.ofSeconds(batch.windowSeconds())),
        this::receive, BatchCollector.Ticker.SYSTEM);
    this.poller = Thread.ofPlatform().daemon().name("esm-" + queue.name()).start(this::pollLoop);
  }

  public String consumer() {
    return consumer;
  }

  public QueueRef queue() {
    return queue;
  }

  public Stats stats() {
    return stats;
  }

  /**
   * Stops receiving (like disabling the event-source mapping): messages stay in the queue until
   * {@link #resume()}; batches already received finish.
   */
  public void pause() {
    paused = true;
    synchronized (pollLock) {
      // Returns once a receive that started before the pause has finished.
    }
  }

  public void resume() {
    paused = false;
  }

  public boolean paused() {
    return paused;
  }

  private void pollLoop() {
    while (running) {
      List<Message> messages = List.of();
      try {
        synchronized (pollLock) {
          messages = paused ? List.of() : collector.collect(() -> running);
        }
        if (paused && messages.isEmpty()) {
          Thread.sleep(50);
          continue;
        }
        if (messages.isEmpty()) {
          continue;
        }
        if (!awaitConcurrency()) {
          handBack(messages);
          return;
        }
        List<Message> batch = messages;
        workers.execute(() -> {
          try {
            process(batch);
          } catch (RuntimeException e) {
            LOG.error("{}: batch processing failed", consumer, e);
          } finally {
            permits.release();
          }
        });
      } catch (InterruptedException e) {
        handBack(messages);
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          LOG.warn("{}: polling {} failed: {}", consumer, queue.name(), e.toString());
          sleepQuietly(Duration.ofMillis(500));
        }
      }
    }
  }

  /** Takes one of the function's concurrency slots, or answers false when the mapping stops first. */
  private boolean awaitConcurrency() throws InterruptedException {
    while (running) {
      if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Makes a batch received but never handed to the function visible again at once, as when the
   * mapping is disabled: left alone, it would stay invisible for the queue's whole visibility
   * timeout, which the local clock does not shorten, and a restarted platform would wait that long
   * for it.
   */
  private void handBack(List<Message> messages) {
    boolean interrupted = Thread.interrupted();
    try {
      for (List<Message> chunk : inBatchesOfTen(messages)) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (int j = 0; j < chunk.size(); j++) {
          entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j))
              .receiptHandle(chunk.get(j).receiptHandle()).visibilityTimeout(0).build());
        }
        sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queue.url()).entries(entries));
      }
      if (!messages.isEmpty()) {
        LOG.info("{}: stopped with {} messages received and not yet handled; they are visible again", consumer, messages.size());
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: could not make {} received messages visible again; they return after the visibility timeout: {}",
          consumer, messages.size(), e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SQS's batch calls take at most 10 entries. */
  private static List<List<Message>> inBatchesOfTen(List<Message> messages) {
    List<List<Message>> batches = new ArrayList<>();
    for (int i = 0; i < messages.size(); i += 10) {
      batches.add(messages.subList(i, Math.min(messages.size(), i + 10)));
    }
    return batches;
  }

  private List<Message> receive(int max, int waitSeconds) {
    return sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queue.url())
        .maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
        .messageAttributeNames("All").build()).messages();
  }

  private void process(List<Message> messages) {
    stats.received.addAndGet(messages.size());
    Map<String, EventRef> refs = new HashMap<>();
    for (Message m : messages) {
      EventRef ref = refOf(m.body());
      refs.put(m.messageId(), ref);
      spans.hop("lambda", "poller received", ref, traceIdOf(m), Span.OK,
          queue.name() + " receive #" + m.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "?"));
    }
    if (!faults().delay().isZero() && faultPlan.enabled()) {
      sleepQuietly(faults().delay());
    }
    Duration backoff = Duration.ofMillis(50);
    while (faultPlan.draw(consumer, "throttle", faults().throttleRate())) {
      if (!running) {
        handBack(messages);
        return;
      }
      stats.throttled.incrementAndGet();
      function.reportThrottle();
      for (Message m : messages) {
        spans.hop("lambda", "fault: invoke throttled, backing off", refs.get(m.messageId()), traceIdOf(m), Span.ERROR,
            function.name() + " 429 TooManyRequestsException, retry in " + backoff.toMillis() + " ms");
      }
      sleepQuietly(backoff);
      backoff = backoff.multipliedBy(2).compareTo(MAX_THROTTLE_BACKOFF) > 0 ? MAX_THROTTLE_BACKOFF : backoff.multipliedBy(2);
    }
    Instant start = Instant.now();
    Set<String> failed = invoke(messages);
    Instant end = Instant.now();
    stats.invocations.incrementAndGet();
    List<Message> succeeded = new ArrayList<>();
    List<Message> failures = new ArrayList<>();
    for (Message m : messages) {
      boolean ok = !failed.contains(m.messageId());
      (ok ? succeeded : failures).add(m);
      spans.record("lambda", "handler " + function.name(), refs.get(m.messageId()), traceIdOf(m), start, end,
          ok ? Span.OK : Span.ERROR, ok ? null : "batch item failure");
    }
    delete(succeeded, refs);
    retryLater(failures, refs);
  }

  /** Read at each use: a fault plan may change a consumer's faults while it runs (a throttle lifted). */
  private ConsumerFaults faults() {
    return faultPlan.forConsumer(consumer);
  }

  /** Message ids that failed: all of them when the function crashed or answered with an invalid response. */
  private Set<String> invoke(List<Message> messages) {
    Set<String> all = new HashSet<>();
    messages.forEach(m -> all.add(m.messageId()));
    if (faultPlan.draw(consumer, "crash", faults().crashRate())) {
      stats.crashed.incrementAndGet();
      function.reportCrash();
      LOG.warn("{}: fault injected: function crashed before the handler ran ({} messages)", consumer, messages.size());
      function.recordFailure(FunctionFailures.Kind.CRASH, "fault injected: crashed before the handler ran (" + messages.size() + " messages)");
      return all;
    }
    SQSEvent event = toEvent(messages);
    Object result;
    try {
      result = function.invoke(event, null, messages.getFirst().attributesAsStrings().get("AWSTraceHeader"));
    } catch (Exception e) {
      LOG.warn("{}: handler failed, the whole batch of {} will be retried: {}", consumer, messages.size(), e.toString());
      return all;
    }
    if (faultPlan.draw(consumer, "crash-after", faults().crashAfterRate())) {
      stats.crashed.incrementAndGet();
      LOG.warn("{}: fault injected: function crashed after the handler ran ({} messages delivered again)", consumer, messages.size());
      function.recordFailure(FunctionFailures.Kind.CRASH, "fault injected: crashed after the handler ran (" + messages.size() + " messages)");
      return all;
    }
    if (!(result instanceof SQSBatchResponse response) || response.getBatchItemFailures() == null) {
      return Set.of();
    }
    Set<String> failed = new HashSet<>();
    for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
      String id = f.getItemIdentifier();
      if (id == null || id.isBlank() || !all.contains(id)) {
        LOG.warn("{}: batch item failure '{}' names no message of the batch: Lambda treats the whole batch as failed", consumer, id);
        return all;
      }
      failed.add(id);
    }
    return failed;
  }

  private void delete(List<Message> succeeded, Map<String, EventRef> refs) {
    for (List<Message> chunk : inBatchesOfTen(succeeded)) {
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < chunk.size(); j++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(j)).receiptHandle(chunk.get(j).receiptHandle()).build());
      }
      sqs.deleteMessageBatch(b -> b.queueUrl(queue.url()).entries(entries));
      for (Message m : chunk) {
        spans.hop("lambda", "poller deleted", refs.get(m.messageId()), traceIdOf(m), Span.OK, queue.name());
      }
    }
    stats.deleted.addAndGet(succeeded.size());
  }

  /**
   * A failed message stays invisible for the rest of its visibility timeout, as in AWS; on a
   * faster clock that time shrinks by the clock speed.
   */
  private void retryLater(List<Message> failures, Map<String, EventRef> refs) {
    if (failures.isEmpty()) {
      return;
    }
    stats.failed.addAndGet(failures.size());
    int visibleAgainSeconds = (int) clock.toReal(Duration.ofSeconds(queueSpec.visibilityTimeoutSeconds())).toSeconds();
    for (Message m : failures) {
      int receives = Integer.parseInt(m.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "1"));
      boolean last = receives >= queueSpec.maxReceiveCount();
      spans.hop("lambda", last ? "poller failed, next receive moves it to DLQ" : "poller failed, left for retry",
          refs.get(m.messageId()), traceIdOf(m), Span.ERROR,
          last ? queue.dlqName() + " after receive #" + receives : queue.name() + " visible again in " + visibleAgainSeconds + " s");
      if (clock.speed() > 1) {
        try {
          sqs.changeMessageVisibility(b -> b.queueUrl(queue.url()).receiptHandle(m.receiptHandle()).visibilityTimeout(visibleAgainSeconds));
        } catch (RuntimeException e) {
          LOG.debug("{}: could not shorten the visibility of {}: {}", consumer, m.messageId(), e.toString());
        }
      }
    }
  }

  private SQSEvent toEvent(List<Message> messages) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
      r.setMessageId(m.messageId());
      r.setReceiptHandle(m.receiptHandle());
      r.setBody(m.body());
      r.setMd5OfBody(m.md5OfBody());
      r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
      r.setAttributes(new HashMap<>(m.attributesAsStrings()));
      Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
      m.messageAttributes().forEach((k, v) -> {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(v.dataType());
        a.setStringValue(v.stringValue());
        attributes.put(k, a);
      });
      r.setMessageAttributes(attributes);
      r.setEventSource("aws:sqs");
      r.setEventSourceArn(queue.arn());
      r.setAwsRegion("us-east-1");
      records.add(r);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  static EventRef refOf(String body) {
    try {
      return EventRef.of(EventJson.parse(body));
    } catch (RuntimeException malformed) {
      Matcher m = CORRELATION_ID.matcher(body);
      return m.find() ? new EventRef(m.group(1), null, "(malformed)") : EventRef.UNKNOWN;
    }
  }

  private static String traceIdOf(Message m) {
    return SpanLog.traceIdOf(m.attributesAsStrings().get("AWSTraceHeader"));
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first step of {@link #close()}: no new batch is received, and the batch being gathered goes back. */
  public void stopReceiving() {
    running = false;
  }

  /**
   * Stops the way a clean stop of the platform should: no new batch is received; a batch received
   * but not handed to the function is made visible again; batches being handled finish and are
   * deleted or left for retry as usual, so that what the stop interrupts is not left invisible for a
   * whole visibility timeout. Only a poller or an invocation that outlasts its grace is interrupted.
   */
  @Override
  public void close() {
    stopReceiving();
    try {
      poller.join(POLLER_GRACE);
      if (poller.isAlive()) {
        poller.interrupt();
        poller.join(POLLER_GRACE);
      }
      workers.shutdown();
      if (!workers.awaitTermination(LocalFunction.TRIGGER_STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: batches still being handled {} after the stop; interrupted", consumer, LocalFunction.TRIGGER_STOP_GRACE);
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Counters for the live view and the tests. */
  public static final class Stats {
    final AtomicLong received = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong invocations = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong crashed = new AtomicLong();

    public long received() { return received.get(); }
    public long deleted() { return deleted.get(); }
    public long failed() { return failed.get(); }
    public long invocations() { return invocations.get(); }
    public long throttled() { return throttled.get(); }
    public long crashed() { return crashed.get(); }
  }

  public int maxConcurrency() {
    return maxConcurrency;
  }

  public int busy() {
    return maxConcurrency - permits.availablePermits();
  }
}
