package com.example.fanout.local.sns;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.ConsumerFaults;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.DeliveryMetrics;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.xray.ServiceSegments;
import com.example.fanout.local.xray.ServiceSegments.ServiceSegment;
import com.example.fanout.publish.PayloadLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One publishing service's SNS topic ({@code <env>-<service>-events}): filter policies in
 * message-body scope with SNS's rules and semantics ({@link FilterPolicyMatcher}), raw delivery into each matching queue, SNS's 256 KiB
 * limit, the trace header carried on as the SQS {@code AWSTraceHeader} system attribute. A delivery
 * the queue's side fails (a 5xx, throttling, no answer) is retried with SNS's delivery policy for SQS
 * ({@link SubscriptionRetryPolicy}) on the runtime clock; one the request's side fails (the queue
 * missing, access denied), or the policy's last retry, goes to the subscription's DLQ.
 */
public final class DomainTopic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DomainTopic.class);

  private final String name;
  private final SqsClient sqs;
  private final SpanLog spans;
  private final FaultPlan faults;
  private final DeliveryMetrics metrics;
  private final FilterPolicyMatcher policies = new FilterPolicyMatcher();
  private final Map<String, QueueSubscription> subscriptions = new HashMap<>();
  private final LocalClock clock;
  /** Deliveries waiting for a delayed retry; each ends delivered, or in its subscription's DLQ. */
  private final Set<Retry> pending = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService retries;
  private boolean closed;
  /** Set when close() has taken the deliveries waiting for a retry, to keep or park them. */
  private boolean waitingTaken;
  private volatile int keptAtStop;
  private volatile Path retryFile;

  public DomainTopic(String name, SqsClient sqs, SpanLog spans, FaultPlan faults) {
    this(name, sqs, spans, faults, DeliveryMetrics.NONE);
  }

  public DomainTopic(String name, SqsClient sqs, SpanLog spans, FaultPlan faults, DeliveryMetrics metrics) {
    this(name, sqs, spans, faults, metrics, new LocalClock(1));
  }

  /** A topic whose delayed retries wait on {@code clock}, the runtime's. */
  public DomainTopic(String name, SqsClient sqs, SpanLog spans, FaultPlan faults, DeliveryMetrics metrics, LocalClock clock) {
    this.clock = clock;
    this.metrics = metrics;
    this.name = name;
    this.sqs = sqs;
    this.spans = spans;
    this.faults = faults;
  }

  public String name() {
    return name;
  }

  public String arn() {
    return "arn:aws:sns:us-east-1:000000000000:" + name;
  }

  /**
   * Subscribes a queue; the policy is refused as SNS would refuse it.
   *
   * @throws com.example.fanout.manifest.InvalidFilterPolicyException SNS's {@code InvalidParameter}
   */
  public void subscribe(QueueSubscription subscription) {
    policies.add(subscription.consumer(), subscription.filterPolicy());
    subscriptions.put(subscription.consumer(), subscription);
  }

  public List<QueueSubscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }

  /** One message to publish: the whole EventBridge event and its X-Ray trace header (or null). */
  public record Message(String body, String traceHeader) {}

  /**
   * SNS {@code Publish}: the whole EventBridge event as the message.
   *
   * @throws SnsPublishException {@code InvalidParameter} when the message is over 256 KiB
   */
  public void publish(String message, String traceHeader) {
    SnsPublishException refused = publishAll(List.of(new Message(message, traceHeader))).getFirst();
    if (refused != null) {
      throw refused;
    }
  }

  /**
   * Publishes several messages (one PutEvents call's worth) and delivers them to the queues in
   * {@code SendMessageBatch} calls; each message is still filtered and delivered on its own, as SNS
   * does. Returns, per message, null when SNS accepted it or why SNS refused it.
   */
  public List<SnsPublishException> publishAll(List<Message> messages) {
    List<SnsPublishException> results = new ArrayList<>();
    Map<QueueSubscription, List<Outgoing>> byQueue = new LinkedHashMap<>();
    for (Message message : messages) {
      if (message.body().getBytes(StandardCharsets.UTF_8).length > PayloadLimits.SNS_MAX_MESSAGE_BYTES) {
        results.add(new SnsPublishException("InvalidParameter", "Invalid parameter: Message too long"));
        continue;
      }
      SnsPublishException injected = injectedFault();
      if (injected != null) {
        results.add(injected);
        continue;
      }
      JsonNode event = parseOrNull(message.body());
      EventRef ref = EventRef.of(event);
      // The topic's X-Ray segment: every delivery carries it as the parent in AWSTraceHeader.
      ServiceSegment segment = spans.segments().begin(name, ServiceSegments.SNS, message.traceHeader()).annotate(ref);
      String traceHeader = segment.header();
      String traceId = segment.traceId();
      List<String> matched = event == null ? List.of() : policies.matches(event);
      if (matched.isEmpty()) {
        spans.hop("sns", "no subscription matched", ref, traceId, Span.OK, name);
      }
      for (String consumer : matched) {
        QueueSubscription sub = subscriptions.get(consumer);
        List<Outgoing> out = byQueue.computeIfAbsent(sub, k -> new ArrayList<>());
        out.add(new Outgoing(message.body(), traceHeader, ref, traceId, "delivered to queue"));
        ConsumerFaults consumerFaults = faults.forConsumer(consumer);
        if (faults.draw(consumer, "duplicate", consumerFaults.duplicateRate())) {
          out.add(new Outgoing(message.body(), traceHeader, ref, traceId, "fault: duplicate delivered to queue"));
        }
        if (faults.draw(consumer, "poison", consumerFaults.poisonRate())) {
          out.add(new Outgoing(poisoned(message.body()), traceHeader, ref, traceId, "fault: poison copy sent to queue"));
        }
      }
      segment.end();
      results.add(null);
    }
    byQueue.forEach((sub, out) -> {
      for (int i = 0; i < out.size(); i += 10) {
        send(sub, out.subList(i, Math.min(out.size(), i + 10)), 0);
      }
    });
    return results;
  }

  /** The fault plan's answer for this topic ({@code <service>-events}: the name without the environment prefix). */
  private SnsPublishException injectedFault() {
    String target = name.substring(name.indexOf('-') + 1);
    if (faults.deliveryFails(target, FaultPlan.DELIVERY_REFUSED)) {
      return new SnsPublishException("AuthorizationError",
          "fault: the topic policy of " + name + " does not allow events.amazonaws.com to publish");
    }
    if (faults.deliveryFails(target, FaultPlan.DELIVERY_UNAVAILABLE)) {
      return new SnsPublishException("InternalError", "fault: " + name + " is unavailable (500)");
    }
    return null;
  }

  /** The message as JSON, or null when it is not a JSON object (then no body-scope policy matches). */
  private static JsonNode parseOrNull(String body) {
    try {
      JsonNode node = EventJson.parse(body);
      return node != null && node.isObject() ? node : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** A copy that no consumer can parse: the JSON loses its closing brace (its ids stay readable for the timeline). */
  static String poisoned(String message) {
    return message.substring(0, message.length() - 1);
  }

  /**
   * One attempt at delivering {@code batch} to the subscription's queue; {@code retry} is 0 for the
   * first delivery. A server-side error is retried as SNS's delivery policy says, the immediate
   * retries here and the later ones on the retry scheduler; a client-side error, or the last retry's,
   * sends the message to the subscription's DLQ.
   */
  private void send(QueueSubscription sub, List<Outgoing> batch, int retry) {
    List<Outgoing> attempt = batch;
    int retrying = retry;
    while (true) {
      Map<Integer, Failure> failed = attempt(sub, attempt);
      List<Outgoing> again = new ArrayList<>();
      for (int i = 0; i < attempt.size(); i++) {
        Outgoing o = attempt.get(i);
        Failure failure = failed.get(i);
        if (failure == null) {
          metrics.notificationDelivered(name);
          spans.hop("sns", retrying == 0 ? o.hop() : o.hop() + " (retry " + retrying + ")", o.ref(), o.traceId(), Span.OK,
              sub.queue().name());
        } else if (!failure.serverSide()) {
          toSubscriptionDlq(sub, o, failure.error() + " (client-side error, not retried)");
        } else if (retrying >= SubscriptionRetryPolicy.MAX_RETRIES) {
          toSubscriptionDlq(sub, o, failure.error() + " (delivery policy exhausted after " + retrying + " retries)");
        } else {
          if (retrying == 0) {
            spans.hop("sns", "delivery failed, retrying", o.ref(), o.traceId(), Span.ERROR, sub.queue().name() + ": " + failure.error());
          }
          again.add(o);
        }
      }
      if (again.isEmpty()) {
        return;
      }
      retrying++;
      Duration delay = SubscriptionRetryPolicy.jitteredDelayBefore(retrying, ThreadLocalRandom.current());
      if (!delay.isZero()) {
        scheduleRetry(new Retry(sub, again, retrying), delay);
        return;
      }
      attempt = again;
    }
  }

  /** Sends one batch; returns the failed entries by index, each with whether SNS would retry it. */
  private Map<Integer, Failure> attempt(QueueSubscription sub, List<Outgoing> batch) {
    if (faults.deliveryFails(sub.consumer(), FaultPlan.QUEUE_MISSING)) {
      return everyEntry(batch,
          new Failure("fault: AWS.SimpleQueueService.NonExistentQueue " + sub.queue().name() + " does not exist", false));
    }
    if (faults.deliveryFails(sub.consumer(), FaultPlan.DELIVERY_UNAVAILABLE)) {
      return everyEntry(batch, new Failure("fault: InternalError " + sub.queue().name() + " is unavailable (500)", true));
    }
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Outgoing o = batch.get(i);
      SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(o.body());
      if (o.traceHeader() != null) {
        e.messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
            MessageSystemAttributeValue.builder().dataType("String").stringValue(o.traceHeader()).build()));
      }
      if (sub.queue().isFifo()) {
        e.messageGroupId(o.ref().correlationId() != null ? o.ref().correlationId() : "default")
            .messageDeduplicationId(UUID.randomUUID().toString());
      }
      entries.add(e.build());
    }
    SendMessageBatchResponse response;
    try {
      response = sqs.sendMessageBatch(b -> b.queueUrl(sub.queue().url()).entries(entries));
    } catch (RuntimeException e) {
      return everyEntry(batch, new Failure(e.toString(), isServerSide(e)));
    }
    Map<Integer, Failure> failed = new HashMap<>();
    response.failed().forEach(f -> failed.put(Integer.parseInt(f.id()),
        new Failure(f.code() + " " + f.message(), !Boolean.TRUE.equals(f.senderFault()))));
    return failed;
  }

  /** The same failure for every entry of {@code batch}, by index: the whole call failed. */
  private static Map<Integer, Failure> everyEntry(List<Outgoing> batch, Failure failure) {
    Map<Integer, Failure> failed = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      failed.put(i, failure);
    }
    return failed;
  }

  /**
   * SNS retries what the queue's side caused (a 5xx, throttling, no answer); an error of the
   * request (the queue deleted, access or the key denied: a 4xx) is the subscription's to fix.
   */
  private static boolean isServerSide(RuntimeException e) {
    if (e instanceof AwsServiceException service) {
      return service.statusCode() >= 500 || service.isThrottlingException();
    }
    return true;
  }

  private void scheduleRetry(Retry retry, Duration delay) {
    pending.add(retry);
    try {
      retryScheduler().schedule(() -> {
        if (pending.remove(retry)) {
          send(retry.sub(), retry.batch(), retry.number());
        }
      }, clock.toReal(delay).toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      // An attempt that failed as the topic stops: close() keeps it with the others, unless it has
      // taken them already.
      boolean taken;
      synchronized (this) {
        taken = waitingTaken;
      }
      if (taken && pending.remove(retry)) {
        parkStopped(retry);
      }
    }
  }

  private synchronized ScheduledExecutorService retryScheduler() {
    if (closed) {
      throw new RejectedExecutionException(name + " is stopping");
    }
    if (retries == null) {
      ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
          Thread.ofPlatform().daemon().name("sns-retries-" + name).factory());
      scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      scheduler.setRemoveOnCancelPolicy(true);
      retries = scheduler;
    }
    return retries;
  }

  /** A delivery whose retry the platform's stop came before: nothing is lost, it waits in the DLQ for a redrive. */
  private void parkStopped(Retry retry) {
    for (Outgoing o : retry.batch()) {
      toSubscriptionDlq(retry.sub(), o, "the platform stopped before SNS's retry " + retry.number() + " of " + SubscriptionRetryPolicy.MAX_RETRIES);
    }
  }

  /**
   * The subscription's redrive policy: a delivery SNS gives up on goes to the consumer's DLQ. When
   * that DLQ cannot be written either, the message is lost, as in SNS: logged and counted
   * ({@code NumberOfNotificationsFailedToRedriveToDlq}), and the rest of the batch goes on.
   */
  private void toSubscriptionDlq(QueueSubscription sub, Outgoing o, String error) {
    metrics.notificationFailed(name);
    LOG.warn("SNS delivery from {} to {} failed, moving it to {}: {}", name, sub.queue().name(), sub.queue().dlqName(), error);
    spans.hop("sns", "delivery failed, to subscription DLQ", o.ref(), o.traceId(), Span.ERROR, sub.queue().dlqName() + ": " + error);
    if (sub.queue().dlqUrl() == null) {
      return;
    }
    try {
      sqs.sendMessage(b -> b.queueUrl(sub.queue().dlqUrl()).messageBody(o.body()));
    } catch (RuntimeException e) {
      metrics.notificationFailedToRedrive(name);
      LOG.error("SNS delivery of {} {} from {} to {} is lost: its DLQ {} did not take it either (the archive still holds it): {}",
          o.ref().eventType(), o.ref().eventId(), name, sub.queue().name(), sub.queue().dlqName(), e.toString());
      spans.hop("sns", "subscription DLQ unwritable, delivery lost", o.ref(), o.traceId(), Span.ERROR, sub.queue().dlqName() + ": " + e);
    }
  }

  /**
   * Keeps the deliveries still waiting for a retry when the topic stops in {@code file}, and resumes
   * those a previous topic kept there: each gets its next retry now, numbered on from where it was.
   * Call after every subscription. Returns how many were resumed.
   */
  public int keepRetriesIn(Path file) {
    this.retryFile = file;
    int resumed = 0;
    for (JsonNode kept : DataFiles.takeJsonLines(file)) {
      QueueSubscription sub = subscriptions.get(kept.path("consumer").asText());
      if (sub == null) {
        LOG.warn("a kept SNS retry names no subscription of {} (unsubscribed since), dropped: {}", name, kept);
        continue;
      }
      String body = kept.get("body").asText();
      String traceHeader = kept.path("traceHeader").isTextual() ? kept.get("traceHeader").asText() : null;
      Outgoing o = new Outgoing(body, traceHeader, EventRef.of(parseOrNull(body)), SpanLog.traceIdOf(traceHeader),
          kept.get("hop").asText());
      scheduleRetry(new Retry(sub, List.of(o), kept.get("retry").asInt()), Duration.ZERO);
      resumed++;
    }
    return resumed;
  }

  /**
   * Stops the retry scheduler: an attempt already running finishes, and each delivery still waiting
   * for a retry, that attempt's too if it failed again, is kept in the retry file
   * ({@link #keepRetriesIn}) or, without one, goes to its subscription's DLQ.
   */
  @Override
  public void close() {
    ScheduledExecutorService scheduler;
    synchronized (this) {
      closed = true;
      scheduler = retries;
    }
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(3, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Retry> waiting = new ArrayList<>();
    synchronized (this) {
      waitingTaken = true;
      for (Retry retry : List.copyOf(pending)) {
        if (pending.remove(retry)) {
          waiting.add(retry);
        }
      }
    }
    if (!waiting.isEmpty() && !keep(waiting)) {
      waiting.forEach(this::parkStopped);
    }
  }

  /**
   * Deliveries to {@code consumer}'s queue waiting for SNS's next retry, after the queue answered
   * with a server error. Local only: AWS publishes no such figure, and SQS's metrics cannot count
   * what has not reached the queue.
   */
  public int waitingForRetry(String consumer) {
    int waiting = 0;
    for (Retry retry : pending) {
      if (retry.sub().consumer().equals(consumer)) {
        waiting += retry.batch().size();
      }
    }
    return waiting;
  }

  /** How many deliveries waiting for a retry the stop kept in the retry file. */
  public int keptAtStop() {
    return keptAtStop;
  }

  /** Writes {@code waiting} to the retry file; false when there is none or it cannot be written. */
  private boolean keep(List<Retry> waiting) {
    Path file = retryFile;
    if (file == null) {
      return false;
    }
    List<ObjectNode> lines = new ArrayList<>();
    for (Retry retry : waiting) {
      for (Outgoing o : retry.batch()) {
        ObjectNode line = EventJson.mapper().createObjectNode();
        line.put("consumer", retry.sub().consumer());
        line.put("retry", retry.number());
        line.put("hop", o.hop());
        line.put("body", o.body());
        line.put("traceHeader", o.traceHeader());
        lines.add(line);
      }
    }
    try {
      DataFiles.replaceJsonLines(file, lines);
      keptAtStop = lines.size();
      LOG.info("kept {} SNS deliveries of {} waiting for a retry in {}", lines.size(), name, file);
      return true;
    } catch (IOException e) {
      LOG.error("could not keep the SNS deliveries of {} waiting for a retry in {}, parking them: {}", name, file, e.toString());
      return false;
    }
  }

  private record Failure(String error, boolean serverSide) {}

  /** Deliveries to one subscription waiting for SNS's retry number {@code number}. */
  private record Retry(QueueSubscription sub, List<Outgoing> batch, int number) {}

  private record Outgoing(String body, String traceHeader, EventRef ref, String traceId, String hop) {}
}
