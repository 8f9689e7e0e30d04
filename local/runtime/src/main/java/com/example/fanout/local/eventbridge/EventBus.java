package com.example.fanout.local.eventbridge;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.sns.DomainTopic;
import com.example.fanout.local.sns.SnsPublishException;
import com.example.fanout.local.sqs.QueueRef;
import com.example.fanout.publish.PayloadLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * EventBridge does: PutEvents returns before delivery). A delivery SNS refuses, or one that keeps
 * failing, goes to the rule target's DLQ with EventBridge's error attributes.
 */
public final class EventBus implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
  private static final int DELIVERY_ATTEMPTS = 3;

  private final String name;
  private volatile com.example.fanout.local.alarms.MetricSink metrics = com.example.fanout.local.alarms.MetricSink.NONE;
  private final String region;
  private final String account;
  private final SpanLog spans;
  private final EventArchive archive;
  private final SqsClient sqs;
  private final Machine machine = new Machine();
  private final Map<String, Rule> rules = new HashMap<>();
  private final ExecutorService delivery = Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().name("eventbridge-delivery-", 0).factory());

  /** Where failed target invocations are counted (CloudWatch's FailedInvocations per rule). */
  public void metrics(com.example.fanout.local.alarms.MetricSink value) {
    this.metrics = value;
  }

  public EventBus(String name, String region, String account, SpanLog spans, EventArchive archive, SqsClient sqs) {
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
    ObjectNode pattern = EventJson.mapper().createObjectNode();
    pattern.putArray("source").add(source);
    try {
      machine.addRule(ruleName, EventJson.write(pattern));
    } catch (Exception e) {
      throw new IllegalArgumentException("rule " + ruleName + ": " + e.getMessage(), e);
    }
    rules.put(ruleName, new Rule(ruleName, topic, targetDlq));
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
      spans.hop("eventbridge", "PutEvents accepted", EventRef.of(event), SpanLog.traceIdOf(entry.traceHeader()), Span.OK, name + " " + id);
      routed.addAll(route(event, entry.traceHeader(), null));
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
      out.add(new Routed(rule, new DomainTopic.Message(message, traceHeader), ref, traceId));
    }
    return out;
  }

  /** Delivers asynchronously, one task per rule target, as PutEvents returns before delivery. */
  private void dispatch(List<Routed> routed) {
    Map<Rule, List<Routed>> byRule = new java.util.LinkedHashMap<>();
    routed.forEach(r -> byRule.computeIfAbsent(r.rule(), k -> new ArrayList<>()).add(r));
    byRule.forEach((rule, items) -> delivery.execute(() -> deliver(rule, items)));
  }

  private void deliver(Rule rule, List<Routed> items) {
    for (int attempt = 1; ; attempt++) {
      Instant start = Instant.now();
      try {
        List<SnsPublishException> results = rule.topic().publishAll(items.stream().map(Routed::message).toList());
        for (int i = 0; i < items.size(); i++) {
          Routed r = items.get(i);
          SnsPublishException refused = results.get(i);
          if (refused == null) {
            spans.record("eventbridge", "delivered to topic", r.ref(), r.traceId(), start, Instant.now(), Span.OK, rule.topic().name());
          } else {
            toTargetDlq(rule, r.message().body(), refused.errorCode(), refused.getMessage(), r.ref(), r.traceId());
          }
        }
        return;
      } catch (RuntimeException e) {
        if (attempt >= DELIVERY_ATTEMPTS) {
          items.forEach(r -> toTargetDlq(rule, r.message().body(), "SDK_CLIENT_ERROR", e.toString(), r.ref(), r.traceId()));
          return;
        }
        LOG.warn("delivery of {} events to {} failed (attempt {}): {}", items.size(), rule.topic().name(), attempt, e.toString());
      }
    }
  }

  private void toTargetDlq(Rule rule, String message, String code, String error, EventRef ref, String traceId) {
    metrics.put("AWS/Events", "FailedInvocations", Map.of("EventBusName", name, "RuleName", rule.name()), 1);
    LOG.warn("rule {} could not deliver {} {} to {}: {} {}; moved to {}", rule.name(), ref.eventType(), ref.eventId(),
        rule.topic().name(), code, error, rule.targetDlq().name());
    spans.hop("eventbridge", "target failed, to rule DLQ", ref, traceId, Span.ERROR,
        rule.targetDlq().name() + ": " + code + " " + error);
    sqs.sendMessage(b -> b.queueUrl(rule.targetDlq().url()).messageBody(message).messageAttributes(Map.of(
        "ERROR_CODE", string(code),
        "ERROR_MESSAGE", string(error),
        "RULE_ARN", string("arn:aws:events:" + region + ":" + account + ":rule/" + name + "/" + rule.name()),
        "TARGET_ARN", string(rule.topic().arn()))));
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
    delivery.shutdown();
    try {
      delivery.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delivery.shutdownNow();
  }

  private record Rule(String name, DomainTopic topic, QueueRef targetDlq) {}

  private record Routed(Rule rule, DomainTopic.Message message, EventRef ref, String traceId) {}
}
