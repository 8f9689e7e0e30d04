package com.example.fanout.consumer.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.consumer.internal.FailureClass.NoHandlerException;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.event.InvalidEnvelopeException;
import com.example.fanout.idempotency.BasePersistenceStore;
import com.example.fanout.idempotency.internal.IdempotencyHandler;
import com.example.fanout.logging.ConsumerLogging;
import com.example.fanout.publish.ClaimCheck;
import com.example.fanout.publish.EventRejectedException;
import com.example.fanout.publish.FailedEntry;
import com.example.fanout.publish.PublishResult;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.HeldClaim;
import com.example.fanout.runtime.InternalApi;
import com.example.fanout.runtime.PrimingTracer;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.Tracer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQS batch rules in one place: records in order, one at a time; a transient failure is
 * reported in {@code batchItemFailures}; a poison record is moved to the DLQ and reported done; on a
 * FIFO queue, once a record of a message group fails, the rest of that group in the batch is
 * reported failed unprocessed, so the group's order holds.
 *
 * <p>On a standard queue the events the records emit are published together once the batch's last
 * record is done, packed into as few {@code PutEvents} calls as they fit (one for a batch of ten
 * records with one follow-up each, instead of ten). A record whose events are not all published is
 * reported failed, or moved to the DLQ if an event of it was refused; its retry is a duplicate that
 * publishes them again. Such a record counts in the metrics as processed (its handler's work is
 * done and recorded) and as failed. On a FIFO queue each record's events are published before the
 * next record is handled, so the events of a group leave in its order.
 */
@InternalApi
public final class BatchProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);
  private static final String TRACE_HEADER = "AWSTraceHeader";
  private static final String GROUP_ID = "MessageGroupId";
  private static final String RECEIVE_COUNT = "ApproximateReceiveCount";
  private static final long MAX_VISIBILITY_SECONDS = 43_200;
  /** Records in a priming batch that runs through the handlers ({@link #primeInvocations}). */
  private static final int PRIMING_BATCH_SIZE = 10;
  /** The queue priming's held records come from; priming's loopback answers whatever names it. */
  private static final String PRIMING_QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:prime";

  private final ConsumerParts runtime;
  private final Map<String, Registration<?>> handlers;
  private final DeadLetters deadLetters;
  private final IdempotencyHandler idempotency;
  private final StoredFollowUps followUps;
  private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

  public BatchProcessor(ConsumerParts runtime, Map<String, Registration<?>> handlers) {
    this.runtime = runtime;
    this.handlers = handlers;
    this.deadLetters = new DeadLetters(runtime.sqs(), runtime.deadLetterQueueUrl(), runtime.qualifiedName());
    this.idempotency = runtime.idempotency() == null ? null : new IdempotencyHandler(runtime.idempotency());
    this.followUps = new StoredFollowUps(runtime.claimChecks());
    DebugBuffer.install();
  }

  public SQSBatchResponse process(SQSEvent event, Context context) {
    return ConsumerLogging.withInvocation(context, runtime.service(), runtime.logSampleRate(), () -> {
      try {
        return processRecords(event == null || event.getRecords() == null ? List.of() : event.getRecords(),
            InvocationClock.of(context));
      } finally {
        flushMetrics();
      }
    });
  }

  private void flushMetrics() {
    try {
      runtime.metrics().flush();
    } catch (RuntimeException | LinkageError e) {
      // The batch response matters more than one EMF document: it is what keeps done records done.
      LOG.error("could not write the invocation's metrics: {}", e.toString());
    }
  }

  private SQSBatchResponse processRecords(List<SQSMessage> records, InvocationClock context) {
    List<BatchItemFailure> failures = new ArrayList<>();
    Set<String> failedGroups = new HashSet<>();
    List<FollowUps> batchFollowUps = records.isEmpty() || isFifo(records.getFirst()) ? null : new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      SQSMessage message = records.get(i);
      String group = isFifo(message) ? attribute(message, GROUP_ID) : null;
      if (group != null && failedGroups.contains(group)) {
        failures.add(new BatchItemFailure(message.getMessageId()));
        continue;
      }
      boolean done;
      try {
        done = processRecord(message, () -> bufferedRecord(message, context, batchFollowUps));
      } catch (Throwable failure) {
        if (FailureClass.isFatal(failure)) {
          // The JVM cannot be trusted to go on: report what is done as done and the rest as failed.
          // The records done so far still publish their events below; if that fails too, they are retried.
          List<SQSMessage> left = records.subList(i, records.size());
          left.forEach(m -> failures.add(new BatchItemFailure(m.getMessageId())));
          LOG.error("fatal {} while processing {}: ending the invocation, {} record(s) left for a retry",
              failure.getClass().getName(), message.getMessageId(), left.size(), failure);
          break;
        }
        LOG.error("unexpected failure of the runtime on {}, the message will be retried: {}",
            message.getMessageId(), failure.toString(), failure);
        done = false;
      }
      if (!done) {
        failures.add(new BatchItemFailure(message.getMessageId()));
        if (group != null) {
          failedGroups.add(group);
        }
      }
    }
    if (batchFollowUps != null && !batchFollowUps.isEmpty()) {
      failures.addAll(publish(batchFollowUps));
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  /** Runs one record's step with its debug lines buffered; true when the record is done with. */
  private static boolean processRecord(SQSMessage message, BooleanSupplier step) {
    boolean ownKey = DebugBuffer.begin(message.getMessageId());
    try {
      return step.getAsBoolean();
    } finally {
      DebugBuffer.end(ownKey);
    }
  }

  /**
   * True when the record is done with: handled (its events published, or added to {@code
   * batchFollowUps} when not null), a duplicate, or moved to the DLQ.
   */
  private boolean bufferedRecord(SQSMessage message, InvocationClock context, List<FollowUps> batchFollowUps) {
    Envelope event;
    try {
      event = MessageUnwrapper.unwrap(message.getBody());
    } catch (Exception | StackOverflowError | LinkageError unreadable) {
      // Unwrapping depends on the body alone: whatever it throws, a retry throws it again.
      try (Span span = tracer().startSegment(runtime.qualifiedName() + " unreadable", attribute(message, TRACE_HEADER))) {
        return poison(message, span, FailureClass.INVALID_ENVELOPE,
            unreadable instanceof InvalidEnvelopeException ? unreadable
                : new InvalidEnvelopeException("unreadable body: " + unreadable, unreadable));
      }
    }
    try (Span span = tracer().startSegment(runtime.qualifiedName() + " " + event.type(), attribute(message, TRACE_HEADER))) {
      span.annotate(Span.CORRELATION_ID, event.correlationId())
          .annotate(Span.EVENT_ID, event.id())
          .annotate(Span.EVENT_TYPE, event.type());
      return ConsumerLogging.withEvent(runtime.qualifiedName(), event, () -> handle(message, event, span, context, batchFollowUps));
    }
  }

  private boolean handle(SQSMessage message, Envelope received, Span span, InvocationClock context, List<FollowUps> batchFollowUps) {
    runtime.metrics().eventAge(Duration.between(received.occurredAt(), runtime.clock().instant()));
    try {
      Envelope event = resolveClaimCheck(received);
      runtime.schemas().validate(event);
      Registration<?> registration = handlers.get(event.type());
      if (registration == null) {
        throw new NoHandlerException(runtime.qualifiedName() + " has no handler for " + event.type()
            + ": its manifest subscribes to a type its handler does not register");
      }
      Outcome outcome = execute(event, registration, context);
      if (!outcome.events().isEmpty()) {
        if (batchFollowUps == null) {
          runtime.publisher().publish(outcome.events()).orThrow();
        } else {
          batchFollowUps.add(new FollowUps(message, event, outcome.events(), tracer().currentTraceHeader().orElse(null)));
        }
      }
      if (outcome.duplicate()) {
        runtime.metrics().duplicate();
        span.outcome("duplicate");
        LOG.info("duplicate delivery of {}: already processed, re-published {} follow-up event(s)", event.id(), outcome.events().size());
      } else {
        runtime.metrics().processed();
        span.outcome("ok");
        LOG.info("processed {} {}, emitted {} event(s)", event.type(), event.id(), outcome.events().size());
      }
      return true;
    } catch (Throwable failure) {
      return failed(message, span, failure);
    }
  }

  /** A record's failure: poison goes to the DLQ (done), anything else is retried after a backoff. */
  private boolean failed(SQSMessage message, Span span, Throwable failure) {
    if (FailureClass.isFatal(failure)) {
      throw (Error) failure;
    }
    FailureClass failureClass = FailureClass.of(failure);
    if (failureClass.isPoison()) {
      return poison(message, span, failureClass, failure);
    }
    runtime.metrics().failed();
    span.outcome("failed").error(failure);
    DebugBuffer.flush();
    LOG.warn("processing failed, the message will be retried: {}", failure.toString(), failure);
    backOff(message);
    return false;
  }

  /**
   * Publishes the batch's follow-up events in one go, each continuing its record's trace, and
   * returns the records whose events did not all go out. If the publisher refuses an event before
   * sending anything, each record's events are published on their own, so that only the record the
   * refused event belongs to goes to the DLQ.
   */
  private List<BatchItemFailure> publish(List<FollowUps> batch) {
    List<Envelope> events = new ArrayList<>();
    Map<String, String> traceHeaders = new HashMap<>();
    for (FollowUps f : batch) {
      events.addAll(f.events());
      f.events().forEach(e -> traceHeaders.put(e.id(), f.traceHeader()));
    }
    // What each record has left to do after the batch's call: null once all its events went out.
    Function<FollowUps, Runnable> remainingStep;
    try {
      PublishResult result = runtime.publisher().publish(events, traceHeaders);
      Set<String> published = new HashSet<>(result.publishedIds());
      remainingStep = f -> {
        List<String> ids = f.events().stream().map(Envelope::id).toList();
        if (published.containsAll(ids)) {
          return null;
        }
        List<FailedEntry> failedEntries = result.failed().stream().filter(e -> ids.contains(e.event().id())).toList();
        List<String> publishedOfRecord = ids.stream().filter(published::contains).toList();
        return () -> new PublishResult(publishedOfRecord, failedEntries, result.calls()).orThrow();
      };
    } catch (EventRejectedException refused) {
      LOG.warn("the batch's follow-up events were refused ({}): publishing them record by record", refused.getMessage());
      remainingStep = f -> () -> runtime.publisher().publish(f.events(), f.traceHeader()).orThrow();
    } catch (RuntimeException | LinkageError | StackOverflowError notSent) {
      remainingStep = f -> () -> {
        throw notSent;
      };
    }
    List<BatchItemFailure> failures = new ArrayList<>();
    for (FollowUps f : batch) {
      Runnable step = remainingStep.apply(f);
      if (step != null && !afterPublishing(f, step)) {
        failures.add(new BatchItemFailure(f.message().getMessageId()));
      }
    }
    return failures;
  }

  /** Runs a record's publishing step in its logging context and trace; false when the record is not done. */
  private boolean afterPublishing(FollowUps f, Runnable step) {
    return processRecord(f.message(), () -> ConsumerLogging.withEvent(runtime.qualifiedName(), f.cause(), () -> {
      try (Span span = tracer().startSegment(runtime.qualifiedName() + " publish " + f.cause().type(),
          attribute(f.message(), TRACE_HEADER))) {
        try {
          step.run();
          span.outcome("ok");
          return true;
        } catch (Throwable failure) {
          return failed(f.message(), span, failure);
        }
      }
    }));
  }

  private Envelope resolveClaimCheck(Envelope event) {
    if (!ClaimCheck.isClaimCheck(event)) {
      return event;
    }
    if (runtime.claimChecks() == null) {
      throw new IllegalStateException(event.id() + " is claim-checked but the consumer has no CLAIM_CHECK_BUCKET");
    }
    return ClaimCheck.resolve(event, runtime.claimChecks());
  }

  private Outcome execute(Envelope event, Registration<?> registration, InvocationClock context) throws Exception {
    RecordContext recordContext = new RecordContext(runtime, event, context);
    if (idempotency == null) {
      invoke(registration, event, recordContext);
      return new Outcome(recordContext.emitted(), false);
    }
    String key = runtime.qualifiedName() + "#" + event.id();
    // The claim lasts exactly as long as the handler is told it may run.
    long remaining = recordContext.remainingTime().toMillis();
    IdempotencyHandler.Result result = idempotency.run(key, event.readData(BasePersistenceStore::hash), remaining, () -> {
      invoke(registration, event, recordContext);
      return followUps.toRecord(key, recordContext.emitted());
    });
    return new Outcome(result.duplicate() ? followUps.fromRecord(result.data()) : recordContext.emitted(), result.duplicate());
  }

  private void invoke(Registration<?> registration, Envelope event, RecordContext context) throws Exception {
    long start = System.nanoTime();
    try {
      registration.invoke(event, context);
    } finally {
      runtime.metrics().handlerLatency(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private boolean poison(SQSMessage message, Span span, FailureClass failureClass, Throwable failure) {
    runtime.metrics().poison();
    span.outcome("poison").error(failure);
    DebugBuffer.flush();
    try {
      deadLetters.send(message, failureClass, failure.getMessage());
      LOG.error("poison message {} moved to the DLQ ({}): {}", message.getMessageId(), failureClass.label(), failure.getMessage());
      return true;
    } catch (RuntimeException dlqFailure) {
      runtime.metrics().failed();
      LOG.error("poison message {} ({}: {}) could not be moved to the DLQ and stays on the queue: {}",
          message.getMessageId(), failureClass.label(), failure.getMessage(), dlqFailure.toString(), dlqFailure);
      return false;
    }
  }

  private void backOff(SQSMessage message) {
    if (runtime.backoffBase() == null) {
      return;
    }
    try {
      int receiveCount = Math.max(1, Integer.parseInt(attribute(message, RECEIVE_COUNT)));
      long seconds = Math.min(Math.min(runtime.backoffMax().toSeconds(), MAX_VISIBILITY_SECONDS),
          runtime.backoffBase().toSeconds() << Math.min(receiveCount - 1, 20));
      String queueUrl = queueUrls.computeIfAbsent(message.getEventSourceArn(), this::queueUrl);
      runtime.sqs().get().changeMessageVisibility(r -> r.queueUrl(queueUrl)
          .receiptHandle(message.getReceiptHandle()).visibilityTimeout((int) seconds));
    } catch (RuntimeException e) {
      // The queue's own visibility timeout still applies: backoff is an optimisation.
      LOG.warn("could not set the retry backoff of {}: {}", message.getMessageId(), e.toString());
    }
  }

  /**
   * The queue URL from the record's ARN ({@code arn:aws:sqs:<region>:<account>:<name>}), built the
   * way SQS builds it, so the function needs no {@code sqs:GetQueueUrl} permission and no extra call.
   */
  private String queueUrl(String queueArn) {
    String[] parts = queueArn.split(":");
    String region = parts[3];
    URI endpoint = runtime.sqs().get().serviceClientConfiguration().endpointOverride()
        .orElseGet(() -> URI.create("https://sqs." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com")));
    return endpoint.toString().replaceAll("/+$", "") + "/" + parts[4] + "/" + parts[5];
  }

  /** Loads and warms the per-record path without side effects (SnapStart priming); calls no handler. */
  public void prime() {
    JsonNode empty = EventJson.mapper().createObjectNode();
    for (Registration<?> registration : handlers.values()) {
      runtime.catalog().publication(registration.eventType()).ifPresent(p ->
          runtime.schemas().violations(registration.eventType(), p.version(), empty));
      try {
        EventJson.convert(empty, registration.dataType());
      } catch (RuntimeException emptyRefused) {
        // The handler's record may refuse empty data; Jackson has built and kept its reader all the same.
      }
    }
    String sample = "{\"detail-type\":\"Primed\",\"source\":\"com.example.prime\",\"detail\":{\"id\":\"evt_prime\","
        + "\"type\":\"Primed\",\"version\":1,\"source\":\"com.example.prime\",\"occurredAt\":\"2026-01-01T00:00:00Z\","
        + "\"correlationId\":\"prime\",\"causationId\":null,\"data\":{}}}";
    for (int i = 0; i < 1_000; i++) {
      Envelope envelope = MessageUnwrapper.unwrap(sample);
      followUps.fromRecord(StoredFollowUps.encode(List.of(envelope)));
      envelope.readData(BasePersistenceStore::hash);
    }
  }

  /**
   * SnapStart's invoke priming: {@code batches} batches, each record the catalog's sample of a
   * registered type ({@link com.example.fanout.manifest.Catalog#sample}) with a new event id,
   * delivered as Lambda would deliver it. With {@code throughHandlers}, a batch is ten records and
   * eight of them run through the handlers and the whole record path (unwrapping, validation,
   * idempotency, the handlers' own calls, publishing, logging and metrics); nine where the consumer
   * keeps no idempotency records. The last record of each batch is poison: a sample with empty data,
   * which its schema rejects, so that it never reaches a handler. It is moved to the DLQ through the
   * consumer's SQS client, whose first use would otherwise build the client and load its marshallers
   * on a restored function's first poison message; only when that client was built by {@link
   * AwsClients}, which holds its calls back during priming. Where the consumer keeps idempotency
   * records, the record before it is one whose claim another execution holds ({@link HeldClaim}),
   * which priming's loopback refuses before any handler runs: it takes the path of a first transient
   * failure, the claim's refusal, the failure's log line and the backoff's {@code
   * ChangeMessageVisibility}, through the same client. Without {@code throughHandlers} a batch holds
   * these two records alone. The caller traces the batches with priming's tracer and sends their
   * calls and output nowhere ({@link com.example.fanout.runtime.SdkPriming}). Returns the records
   * reported failed, but the held ones.
   */
  public int primeInvocations(IntFunction<Context> contexts, int batches, boolean throughHandlers) {
    List<ObjectNode> samples = new ArrayList<>();
    for (String type : handlers.keySet()) {
      runtime.catalog().sample(type).map(sample -> (ObjectNode) EventJson.parse(sample)).ifPresent(samples::add);
    }
    // A DLQ client built elsewhere (a test's) would send the poison to a real queue, and the backoff to a real one.
    boolean sqsHeldBack = AwsClients.heldBackDuringPriming(runtime.sqs().get());
    Optional<ObjectNode> poison = poison(samples).filter(p -> sqsHeldBack);
    int samplesPerBatch = throughHandlers && !samples.isEmpty() ? PRIMING_BATCH_SIZE - 1 : 0;
    // Its claim is refused before any handler runs, so a consumer that does not opt in primes it too.
    Optional<ObjectNode> held = !samples.isEmpty() && idempotency != null && sqsHeldBack
        ? Optional.of(samples.getFirst()) : Optional.empty();
    if (samplesPerBatch == 0 && poison.isEmpty() && held.isEmpty()) {
      return 0;
    }
    int throughHandler = held.isPresent() ? Math.max(0, samplesPerBatch - 1) : samplesPerBatch;
    int failed = 0;
    for (int b = 0; b < batches; b++) {
      List<SQSMessage> records = new ArrayList<>();
      for (int r = 0; r < throughHandler; r++) {
        records.add(primingRecord(samples.get((b * PRIMING_BATCH_SIZE + r) % samples.size()), "prime-" + b + "-" + r));
      }
      String heldId = "prime-" + b + "-held";
      held.ifPresent(h -> records.add(heldRecord(h, heldId)));
      String poisonId = "prime-" + b + "-poison";
      poison.ifPresent(p -> records.add(primingRecord(p, poisonId)));
      SQSEvent event = new SQSEvent();
      event.setRecords(records);
      failed += (int) process(event, contexts.apply(b)).getBatchItemFailures().stream()
          .filter(f -> !heldId.equals(f.getItemIdentifier())).count();
    }
    return failed;
  }

  /**
   * {@code envelope} with the event id {@link HeldClaim#EVENT_ID}, as its queue delivers it: with the
   * queue's ARN and a receipt handle, which the backoff's {@code ChangeMessageVisibility} names.
   */
  private static SQSMessage heldRecord(ObjectNode envelope, String messageId) {
    SQSMessage message = primingRecord(envelope, messageId, HeldClaim.EVENT_ID);
    message.setEventSourceArn(PRIMING_QUEUE_ARN);
    message.setReceiptHandle(messageId);
    return message;
  }

  /** The first sample whose schema rejects empty data, with empty data: a record no handler ever gets. */
  private Optional<ObjectNode> poison(List<ObjectNode> samples) {
    ObjectNode empty = EventJson.mapper().createObjectNode();
    return samples.stream()
        .filter(sample -> !runtime.schemas().violations(sample.path("type").asText(), sample.path("version").asInt(), empty).isEmpty())
        .map(sample -> {
          ObjectNode poison = sample.deepCopy();
          poison.set("data", empty);
          return poison;
        })
        .findFirst();
  }

  /** {@code envelope}, with a new event id, as SNS delivers an EventBridge event to the consumer's queue. */
  private static SQSMessage primingRecord(ObjectNode envelope, String messageId) {
    return primingRecord(envelope, messageId, EventIds.random());
  }

  private static SQSMessage primingRecord(ObjectNode envelope, String messageId, String eventId) {
    ObjectNode event = envelope.deepCopy().put("id", eventId);
    ObjectNode delivered = EventJson.mapper().createObjectNode()
        .put("detail-type", event.path("type").asText()).put("source", event.path("source").asText());
    delivered.set("detail", event);
    SQSMessage message = new SQSMessage();
    message.setMessageId(messageId);
    message.setBody(EventJson.write(delivered));
    message.setAttributes(Map.of(RECEIVE_COUNT, "1"));
    return message;
  }

  /** The consumer's tracer, or priming's while a priming invocation runs on this thread. */
  private Tracer tracer() {
    return PrimingTracer.orElse(runtime.tracer());
  }

  private static boolean isFifo(SQSMessage message) {
    return message.getEventSourceArn() != null && message.getEventSourceArn().endsWith(".fifo");
  }

  private static String attribute(SQSMessage message, String name) {
    return message.getAttributes() == null ? null : message.getAttributes().get(name);
  }

  private record Outcome(List<Envelope> events, boolean duplicate) {}

  /** A handled record's events, to be published with the rest of its batch. */
  private record FollowUps(SQSMessage message, Envelope cause, List<Envelope> events, String traceHeader) {}
}
