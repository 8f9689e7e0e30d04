package com.example.fanout.local.sns;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.ConsumerFaults;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.observability.DeliveryMetrics;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.xray.ServiceSegments;
import com.example.fanout.local.xray.ServiceSegments.ServiceSegment;
import com.example.fanout.publish.PayloadLimits;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One publishing service's SNS topic ({@code <env>-<service>-events}): filter policies in
 * message-body scope with SNS's rules and semantics ({@link FilterPolicyMatcher}), raw delivery into each matching queue, SNS's 256 KiB
 * limit, the trace header carried on as the SQS {@code AWSTraceHeader} system attribute.
 */
public final class DomainTopic {
  private static final Logger LOG = LoggerFactory.getLogger(DomainTopic.class);

  private final String name;
  private final SqsClient sqs;
  private final SpanLog spans;
  private final FaultPlan faults;
  private final DeliveryMetrics metrics;
  private final FilterPolicyMatcher policies = new FilterPolicyMatcher();
  private final Map<String, QueueSubscription> subscriptions = new HashMap<>();

  public DomainTopic(String name, SqsClient sqs, SpanLog spans, FaultPlan faults) {
    this(name, sqs, spans, faults, DeliveryMetrics.NONE);
  }

  public DomainTopic(String name, SqsClient sqs, SpanLog spans, FaultPlan faults, DeliveryMetrics metrics) {
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
      EventRef ref = event == null ? EventRef.UNKNOWN : EventRef.of(event);
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
        send(sub, out.subList(i, Math.min(out.size(), i + 10)));
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

  private void send(QueueSubscription sub, List<Outgoing> batch) {
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
    Map<String, String> failed = new HashMap<>();
    if (faults.deliveryFails(sub.consumer(), FaultPlan.QUEUE_MISSING)) {
      for (int i = 0; i < batch.size(); i++) {
        failed.put(Integer.toString(i), "fault: AWS.SimpleQueueService.NonExistentQueue " + sub.queue().name() + " does not exist");
      }
    } else {
      try {
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(sub.queue().url()).entries(entries));
        response.failed().forEach(f -> failed.put(f.id(), f.code() + " " + f.message()));
      } catch (RuntimeException e) {
        for (int i = 0; i < batch.size(); i++) {
          failed.put(Integer.toString(i), e.toString());
        }
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      Outgoing o = batch.get(i);
      String error = failed.get(Integer.toString(i));
      if (error == null) {
        metrics.notificationDelivered(name);
        spans.hop("sns", o.hop(), o.ref(), o.traceId(), Span.OK, sub.queue().name());
      } else {
        metrics.notificationFailed(name);
        redrive(sub, o, error);
      }
    }
  }

  /** The subscription's redrive policy: a delivery SQS refused goes to the consumer's DLQ. */
  private void redrive(QueueSubscription sub, Outgoing o, String error) {
    LOG.warn("SNS delivery from {} to {} failed, moving it to {}: {}", name, sub.queue().name(), sub.queue().dlqName(), error);
    spans.hop("sns", "delivery failed, to subscription DLQ", o.ref(), o.traceId(), Span.ERROR, sub.queue().dlqName() + ": " + error);
    if (sub.queue().dlqUrl() != null) {
      sqs.sendMessage(b -> b.queueUrl(sub.queue().dlqUrl()).messageBody(o.body()));
    }
  }

  private record Outgoing(String body, String traceHeader, EventRef ref, String traceId, String hop) {}
}
