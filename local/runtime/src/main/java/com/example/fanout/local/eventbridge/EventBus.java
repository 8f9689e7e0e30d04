package com.example.fanout.local.eventbridge;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.DeliveryMetrics;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.xray.ServiceSegments;
import com.example.fanout.local.xray.ServiceSegments.ServiceSegment;
import com.example.fanout.local.sns.DomainTopic;
import com.example.fanout.local.sns.SnsPublishException;
import com.example.fanout.local.sqs.QueueRef;
import com.example.fanout.publish.PayloadLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.event.ruler.Machine;

/**
 * The platform bus: validates {@code PutEvents} entries as EventBridge does, archives what it
 * accepts, matches rules with Event Ruler and delivers to each rule's SNS topic asynchronously (as
 * EventBridge does: PutEvents returns before delivery). A failed delivery is retried as the rule
 * target's {@link TargetRetryPolicy} says (retryable errors only, exponential backoff with full jitter
 * on the runtime clock); what is not delivered in the end goes to the target's DLQ with
 * EventBridge's attributes ({@code ERROR_CODE}, {@code ERROR_MESSAGE}, {@code RULE_ARN},
 * {@code TARGET_ARN}, {@code RETRY_ATTEMPTS}, and {@code EXHAUSTED_RETRY_CONDITION} when a limit of
 * the retry policy ended it) and is counted as a failed invocation.
 */
public final class EventBus implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
  /** SNS errors EventBridge retries (HTTP 429 and 5xx); every other error is final. */
  private static final Set<String> RETRYABLE = Set.of("InternalError", "InternalFailure", "ServiceUnavailable", "Throttled",
      "Throttling", "ThrottlingException", "KMSThrottling", "SDK_CLIENT_ERROR");
  /** {@code EXHAUSTED_RETRY_CONDITION}: which limit of the target's retry policy ended a delivery. */
  private static final String EXHAUSTED_ATTEMPTS = "MaximumRetryAttempts";
  private static final String EXHAUSTED_AGE = "MaximumEventAgeInSeconds";

  private final String name;
  private final String region;
  private final String account;
  private final SpanLog spans;
  private final EventArchive archive;
  private final SqsClient sqs;
  private final Machine machine = Machine.builder().build();
  private final Map<String, Rule> rules = new HashMap<>();
  private final ExecutorService delivery = Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().name("eventbridge-delivery-", 0).factory());
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("eventbridge-retries").factory());
  private final LocalClock clock;
  private final DeliveryMetrics metrics;
  /** Deliveries waiting for their next attempt, kept in {@link #retryFile} when the bus stops. */
  private final Set<Delivery> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Deliveries whose attempt is running: one still running when the bus stops is kept like a pending retry. */
  private final Set<Delivery> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile java.nio.file.Path retryFile;

  public EventBus(String name, String region, String account, SpanLog spans, EventArchive archive, SqsClient sqs) {
    this(name, region, account, spans, archive, sqs, new LocalClock(1), DeliveryMetrics.NONE);
  }

  public EventBus(String name, String region, String account, SpanLog spans, EventArchive archive, SqsClient sqs,
      LocalClock clock, DeliveryMetrics metrics) {
    this.clock = clock;
    this.metrics = metrics;
    this.name = name;
    this.region = region;
    this.account = account;
    this.spans = spans;
    this.archive = archive;
    this.sqs = sqs;
  }

  public String name() {
    return name;
  }

  public String arn() {
    return "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
  }

  /** A rule {@code {"source": [source]}} whose target is {@code topic}, with {@code targetDlq} for failed deliveries. */
  public void addRule(String ruleName, String source, DomainTopic topic, QueueRef targetDlq) {
    addRule(ruleName, source, topic, targetDlq, TargetRetryPolicy.DEFAULT);
  }

  /** As {@link #addRule(String, String, DomainTopic, QueueRef)}, with the target's retry policy. */
  public void addRule(String ruleName, String source, DomainTopic topic, QueueRef targetDlq, TargetRetryPolicy retry) {
    ObjectNode pattern = EventJson.mapper().createObjectNode();
    pattern.putArray("source").add(source);
    try {
      machine.addRule(ruleName, EventJson.write(pattern));
    } catch (Exception e) {
      throw new IllegalArgumentException("rule " + ruleName + ": " + e.getMessage(), e);
    }
    rules.put(ruleName, new Rule(ruleName, topic, targetDlq, retry));
  }

  /** {@code PutEvents}: one result per entry, in order. */
  public List<EntryResult> putEvents(JsonNode entries) {
    if (entries == null || entries.isNull()) {
      throw new PutEventsValidationException(
          "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
    }
    if (!entries.isArray() || entries.isEmpty()) {
      throw new PutEventsValidationException("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: "
          + "Member must have length greater than or equal to 1");
    }
    if (entries.size() > PayloadLimits.PUT_EVENTS_MAX_ENTRIES) {
      throw new PutEventsValidationException("1 validation error detected: Value '" + entries + "' at 'entries' failed to satisfy "
          + "constraint: Member must have length less than or equal to " + PayloadLimits.PUT_EVENTS_MAX_ENTRIES);
    }
    List<PutEventsRequestEntry> parsed = new ArrayList<>();
    long total = 0;
    for (JsonNode e : entries) {
      PutEventsRequestEntry entry = toSdkEntry(e);
      parsed.add(entry);
      total += PayloadLimits.entryBytes(entry);
    }
    if (total > PayloadLimits.PUT_EVENTS_MAX_BYTES) {
      throw new PutEventsValidationException("Total size of the entries in the request is over the limit.");
    }
    List<EntryResult> results = new ArrayList<>();
    List<Routed> routed = new ArrayList<>();
    for (PutEventsRequestEntry entry : parsed) {
      results.add(accept(entry, routed));
    }
    dispatch(routed);
    return results;
  }

  private EntryResult accept(PutEventsRequestEntry entry, List<Routed> routed) {
    EntryResult invalid = validate(entry);
    if (invalid != null) {
      spans.hop("eventbridge", "PutEvents entry rejected", EventRef.UNKNOWN, SpanLog.traceIdOf(entry.traceHeader()),
          Span.ERROR, invalid.errorCode() + ": " + invalid.errorMessage());
      return invalid;
    }
    String id = UUID.randomUUID().toString();
    ObjectNode event = EventJson.mapper().createObjectNode();
    event.put("version", "0");
    event.put("id", id);
    event.put("detail-type", entry.detailType());
    event.put("source", entry.source());
    event.put("account", account);
    event.put("time", (entry.time() == null ? Instant.now() : entry.time()).truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    ArrayNode resources = event.putArray("resources");
    if (entry.resources() != null) {
      entry.resources().forEach(resources::add);
    }
    event.set("detail", EventJson.parse(entry.detail()));
    if (isPlatformBus(entry.eventBusName())) {
      archive.append(event, entry.traceHeader(), Instant.now());
      // The bus's X-Ray segment continues the producer's trace; targets get it as their parent.
      ServiceSegment segment = spans.segments().begin(name, ServiceSegments.EVENTBRIDGE, entry.traceHeader())
          .annotate(EventRef.of(event)).metadata("event_id", id);
      spans.hop("eventbridge", "PutEvents accepted", EventRef.of(event), segment.traceId(), Span.OK, name + " " + id);
      routed.addAll(route(event, segment.header(), null));
      segment.end();
    }
    return EntryResult.accepted(id);
  }

  private List<Routed> route(ObjectNode event, String traceHeader, String replayName) {
    EventRef ref = EventRef.of(event);
    String traceId = SpanLog.traceIdOf(traceHeader);
    List<String> matched = machine.rulesForJSONEvent(event);
    if (matched.isEmpty()) {
      spans.hop("eventbridge", "no rule matched", ref, traceId, Span.OK, event.path("source").asText());
    }
    List<Routed> out = new ArrayList<>();
    String message = EventJson.write(event);
    for (String ruleName : matched) {
      Rule rule = rules.get(ruleName);
      spans.hop("eventbridge", replayName == null ? "rule matched" : "rule matched (replay)", ref, traceId, Span.OK,
          ruleName + " -> " + rule.topic().name());
      out.add(new Routed(rule, new DomainTopic.Message(message, traceHeader), ref, traceId, clock.now()));
    }
    return out;
  }

  /** Delivers asynchronously, one task per rule target, as PutEvents returns before delivery. */
  private void dispatch(List<Routed> routed) {
    Map<Rule, List<Routed>> byRule = new java.util.LinkedHashMap<>();
    routed.forEach(r -> byRule.computeIfAbsent(r.rule(), k -> new ArrayList<>()).add(r));
    byRule.forEach((rule, items) -> delivery.execute(new Delivery(rule, items, 1)));
  }

  /** One attempt (1 = the first delivery) for {@code items}; failures are retried or parked per the rule's policy. */
  private void deliver(Rule rule, List<Routed> items, int attempt) {
    Instant start = Instant.now();
    List<SnsPublishException> results;
    try {
      results = rule.topic().publishAll(items.stream().map(Routed::message).toList());
    } catch (RuntimeException e) {
      SnsPublishException failed = new SnsPublishException("SDK_CLIENT_ERROR", e.toString());
      results = items.stream().map(i -> failed).toList();
    }
    List<Routed> again = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Routed r = items.get(i);
      SnsPublishException refused = results.get(i);
      metrics.invocation(rule.name());
      if (refused == null) {
        spans.record("eventbridge", "delivered to topic", r.ref(), r.traceId(), start, Instant.now(), Span.OK, rule.topic().name());
      } else if (!RETRYABLE.contains(refused.errorCode())) {
        toTargetDlq(rule, r, refused.errorCode(), refused.getMessage(), attempt - 1, null);
      } else if (attempt > rule.retry().maximumRetryAttempts()) {
        toTargetDlq(rule, r, refused.errorCode(), refused.getMessage(), attempt - 1, EXHAUSTED_ATTEMPTS);
      } else if (Duration.between(r.acceptedAt(), clock.now()).compareTo(rule.retry().maximumEventAge()) >= 0) {
        toTargetDlq(rule, r, refused.errorCode(), refused.getMessage(), attempt - 1, EXHAUSTED_AGE);
      } else {
        spans.hop("eventbridge", "target failed, retrying", r.ref(), r.traceId(), Span.ERROR,
            rule.topic().name() + ": " + refused.errorCode() + " (attempt " + attempt + ")");
        again.add(r);
      }
    }
    if (!again.isEmpty()) {
      long ceiling = clock.toReal(TargetRetryPolicy.backoffCeiling(attempt)).toNanos();
      long delay = java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
      Delivery next = new Delivery(rule, again, attempt + 1);
      pending.add(next);
      try {
        retries.schedule(() -> {
          pending.remove(next);
          try {
            delivery.execute(next);
          } catch (java.util.concurrent.RejectedExecutionException stopping) {
            pending.add(next); // the bus is stopping: close() keeps it in the retry file or parks it
          }
        }, delay, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // the bus is stopping: close() keeps it in the retry file or parks it in the rule's DLQ
      }
    }
  }

  /**
   * Keeps the deliveries not yet made when the bus stops (waiting for a retry, queued behind
   * others, or an attempt still running) in {@code file}, and resumes those a previous bus kept
   * there: each gets its next attempt now, counted and aged from when the bus first accepted its
   * event. Call after every rule is added. Returns how many were resumed.
   */
  public int keepRetriesIn(java.nio.file.Path file) {
    this.retryFile = file;
    int resumed = 0;
    for (JsonNode kept : DataFiles.takeJsonLines(file)) {
      Rule rule = rules.get(kept.path("rule").asText());
      if (rule == null) {
        LOG.warn("a kept retry names no rule of this bus, dropped: {}", kept);
        continue;
      }
      String body = kept.get("body").asText();
      String traceHeader = kept.path("traceHeader").isTextual() ? kept.get("traceHeader").asText() : null;
      Routed item = new Routed(rule, new DomainTopic.Message(body, traceHeader), EventRef.of(EventJson.parse(body)),
          SpanLog.traceIdOf(traceHeader), clock.acceptedAt(kept));
      int attempt = kept.get("attempt").asInt();
      delivery.execute(new Delivery(rule, List.of(item), attempt));
      resumed++;
    }
    return resumed;
  }

  private void writePendingRetries() {
    java.nio.file.Path file = retryFile;
    if (pending.isEmpty()) {
      return;
    }
    if (file == null) {
      // Nowhere to keep them: each goes to its rule's DLQ, as a delivery that ran out of retries would.
      pending.forEach(p -> p.items.forEach(r ->
          toTargetDlq(p.rule, r, "SDK_CLIENT_ERROR", "the bus stopped before the retry", p.attempt - 1, null)));
      return;
    }
    List<ObjectNode> lines = new ArrayList<>();
    for (Delivery p : pending) {
      for (Routed r : p.items) {
        ObjectNode line = EventJson.mapper().createObjectNode();
        line.put("rule", p.rule.name());
        line.put("attempt", p.attempt);
        clock.keepAcceptedAt(line, r.acceptedAt());
        line.put("body", r.message().body());
        line.put("traceHeader", r.message().traceHeader());
        lines.add(line);
      }
    }
    try {
      DataFiles.replaceJsonLines(file, lines);
      LOG.info("kept {} deliveries waiting for a retry in {}", lines.size(), file);
    } catch (java.io.IOException e) {
      LOG.error("could not keep the deliveries waiting for a retry in {}: {}", file, e.toString());
    }
  }

  /**
   * Parks {@code r} in the rule target's DLQ with EventBridge's attributes; when the DLQ cannot be
   * written, the event is lost, logged and counted ({@code InvocationsFailedToBeSentToDlq}).
   *
   * @param retries the retries made after the first attempt ({@code RETRY_ATTEMPTS})
   * @param exhausted the retry policy's limit that ended the delivery ({@code EXHAUSTED_RETRY_CONDITION}),
   *     null when none did (an error EventBridge does not retry)
   */
  private void toTargetDlq(Rule rule, Routed r, String code, String error, int retries, String exhausted) {
    String message = r.message().body();
    EventRef ref = r.ref();
    String traceId = r.traceId();
    metrics.failedInvocation(rule.name());
    LOG.warn("rule {} could not deliver {} {} to {} ({} after {} retries): {} {}; moved to {}", rule.name(), ref.eventType(), ref.eventId(),
        rule.topic().name(), exhausted == null ? "not retried further" : exhausted, retries, code, error, rule.targetDlq().name());
    spans.hop("eventbridge", "target failed, to rule DLQ", ref, traceId, Span.ERROR,
        rule.targetDlq().name() + ": " + code + " " + error);
    Map<String, MessageAttributeValue> attributes = new java.util.LinkedHashMap<>();
    attributes.put("ERROR_CODE", string(code));
    attributes.put("ERROR_MESSAGE", string(error));
    attributes.put("RULE_ARN", string("arn:aws:events:" + region + ":" + account + ":rule/" + name + "/" + rule.name()));
    attributes.put("TARGET_ARN", string(rule.topic().arn()));
    attributes.put("RETRY_ATTEMPTS", string(Integer.toString(retries)));
    if (exhausted != null) {
      attributes.put("EXHAUSTED_RETRY_CONDITION", string(exhausted));
    }
    try {
      sqs.sendMessage(b -> b.queueUrl(rule.targetDlq().url()).messageBody(message).messageAttributes(attributes));
    } catch (RuntimeException e) {
      // As EventBridge: the event is dropped and counted; the other events of the delivery go on.
      metrics.failedToBeSentToDlq(rule.name());
      LOG.error("rule {}: {} {} could not be written to {} and is lost (the archive still holds it): {}", rule.name(), ref.eventType(),
          ref.eventId(), rule.targetDlq().name(), e.toString());
      spans.hop("eventbridge", "rule DLQ unwritable, event lost", ref, traceId, Span.ERROR, rule.targetDlq().name() + ": " + e);
      return;
    }
    metrics.sentToDlq(rule.name());
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  /** Sends archived events through the rules again, each marked with {@code replay-name}. Returns how many. */
  public int replay(Instant from, Instant to, String correlationId) {
    String replayName = "local-replay-" + UUID.randomUUID().toString().substring(0, 8);
    List<EventArchive.Archived> events = archive.select(from, to, correlationId);
    List<Routed> routed = new ArrayList<>();
    for (EventArchive.Archived archived : events) {
      ObjectNode event = archived.event().deepCopy();
      event.put("replay-name", replayName);
      routed.addAll(route(event, archived.traceHeader(), replayName));
      if (routed.size() >= PayloadLimits.PUT_EVENTS_MAX_ENTRIES) {
        dispatch(routed);
        routed = new ArrayList<>();
      }
    }
    dispatch(routed);
    LOG.info("replay {} sent {} archived events through the rules", replayName, events.size());
    return events.size();
  }

  private boolean isPlatformBus(String busName) {
    return busName != null && (busName.equals(name) || busName.equals(arn()));
  }

  private EntryResult validate(PutEventsRequestEntry entry) {
    if (blank(entry.source())) {
      return EntryResult.failed("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
    }
    if (blank(entry.detailType())) {
      return EntryResult.failed("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
    }
    if (blank(entry.detail())) {
      return EntryResult.failed("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
    }
    if (entry.source().startsWith("aws.")) {
      return EntryResult.failed("NotAuthorizedForSourceException", "Not authorized for the source.");
    }
    try {
      if (!EventJson.parse(entry.detail()).isObject()) {
        return EntryResult.failed("MalformedDetail", "Detail is malformed.");
      }
    } catch (RuntimeException e) {
      return EntryResult.failed("MalformedDetail", "Detail is malformed.");
    }
    String bus = entry.eventBusName();
    if (!blank(bus) && !"default".equals(bus) && !isPlatformBus(bus)) {
      return EntryResult.failed("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static PutEventsRequestEntry toSdkEntry(JsonNode e) {
    PutEventsRequestEntry.Builder b = PutEventsRequestEntry.builder()
        .source(text(e, "Source")).detailType(text(e, "DetailType")).detail(text(e, "Detail"))
        .eventBusName(text(e, "EventBusName")).traceHeader(text(e, "TraceHeader"));
    JsonNode time = e.get("Time");
    if (time != null && time.isNumber()) {
      b.time(Instant.ofEpochMilli((long) (time.doubleValue() * 1000)));
    } else if (time != null && time.isTextual()) {
      b.time(Instant.parse(time.textValue()));
    }
    JsonNode resources = e.get("Resources");
    if (resources != null && resources.isArray()) {
      List<String> list = new ArrayList<>();
      resources.forEach(r -> list.add(r.asText()));
      b.resources(list);
    }
    return b.build();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  @Override
  public void close() {
    retries.shutdownNow();
    try {
      // A retry being handed over ends in the delivery queue or back in pending, before either is read.
      retries.awaitTermination(1, TimeUnit.SECONDS);
      delivery.shutdown();
      // Within the platform's stop timeout: what has not started by then is kept (or parked), not lost.
      delivery.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      delivery.shutdownNow().forEach(task -> {
        if (task instanceof Delivery d) {
          pending.add(d);
        }
      });
    }
    try {
      delivery.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // An attempt that has not returned even when interrupted (a topic whose queue does not answer)
    // may or may not have delivered: it is kept and made again by the next bus, at least once.
    pending.addAll(inFlight);
    writePendingRetries();
  }


  /** One attempt at delivering {@code items} to their rule's target; {@code attempt} 1 is the first. */
  private final class Delivery implements Runnable {
    private final Rule rule;
    private final List<Routed> items;
    private final int attempt;

    Delivery(Rule rule, List<Routed> items, int attempt) {
      this.rule = rule;
      this.items = items;
      this.attempt = attempt;
    }

    @Override
    public void run() {
      inFlight.add(this);
      try {
        deliver(rule, items, attempt);
      } finally {
        inFlight.remove(this);
      }
    }
  }

  private record Rule(String name, DomainTopic topic, QueueRef targetDlq, TargetRetryPolicy retry) {}

  private record Routed(Rule rule, DomainTopic.Message message, EventRef ref, String traceId, Instant acceptedAt) {}
}
