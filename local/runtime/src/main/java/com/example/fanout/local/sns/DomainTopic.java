package com.example.fanout.local.sns;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.manifest.FilterPolicies;
import com.example.fanout.publish.PayloadLimits;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.event.ruler.Machine;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * One publishing service's SNS topic ({@code <env>-<service>-events}): filter policies in
 * message-body scope matched by Event Ruler, raw delivery into each matching queue, SNS's 256 KiB
 * limit, the trace header carried on as the SQS {@code AWSTraceHeader} system attribute.
 */
public final class DomainTopic {
  private static final Logger LOG = LoggerFactory.getLogger(DomainTopic.class);

  private final String name;
  private final SqsClient sqs;
  private final SpanLog spans;
  private final FaultPlan faults;
  private final Machine machine = new Machine();
  private final Map<String, QueueSubscription> subscriptions = new HashMap<>();

  public DomainTopic(String name, SqsClient sqs, SpanLog spans, FaultPlan faults) {
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

  /** Subscribes a queue; the policy is refused as SNS would refuse it. */
  public void subscribe(QueueSubscription subscription) {
    checkAsSnsWould(subscription);
    try {
      machine.addRule(subscription.consumer(), EventJson.write(subscription.filterPolicy()));
    } catch (Exception e) {
      throw new IllegalArgumentException("filter policy of " + subscription.consumer() + " on " + name
          + " is not valid: " + e.getMessage(), e);
    }
    subscriptions.put(subscription.consumer(), subscription);
  }

  private static void checkAsSnsWould(QueueSubscription subscription) {
    var extra = subscription.filterPolicy().deepCopy();
    extra.remove("detail-type");
    List<String> reasons = FilterPolicies.check(extra);
    if (!reasons.isEmpty()) {
      throw new IllegalArgumentException("SNS would reject the filter policy of " + subscription.consumer() + ": " + reasons);
    }
  }

  public List<QueueSubscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }

  /**
   * SNS {@code Publish}: the whole EventBridge event as the message. Returns the SNS message id.
   *
   * @throws SnsPublishException {@code InvalidParameter} when the message is over 256 KiB
   */
  public String publish(String message, String traceHeader) {
    int bytes = message.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > PayloadLimits.SNS_MAX_MESSAGE_BYTES) {
      throw new SnsPublishException("InvalidParameter", "Invalid parameter: Message too long");
    }
    JsonNode event = EventJson.parse(message);
    EventRef ref = EventRef.of(event);
    String traceId = SpanLog.traceIdOf(traceHeader);
    List<String> matched;
    try {
      matched = machine.rulesForJSONEvent(event);
    } catch (RuntimeException e) {
      throw new SnsPublishException("InternalError", "filter evaluation failed: " + e.getMessage());
    }
    if (matched.isEmpty()) {
      spans.hop("sns", "no subscription matched", ref, traceId, Span.OK, name);
    }
    for (String consumer : new ArrayList<>(matched)) {
      deliver(subscriptions.get(consumer), message, traceHeader, ref, traceId);
    }
    return UUID.randomUUID().toString();
  }

  private void deliver(QueueSubscription sub, String message, String traceHeader, EventRef ref, String traceId) {
    send(sub, message, traceHeader, ref, traceId, "delivered to queue");
    if (faults.draw(sub.consumer(), sub.faults().duplicateRate())) {
      send(sub, message, traceHeader, ref, traceId, "fault: duplicate delivered to queue");
    }
    if (faults.draw(sub.consumer(), sub.faults().poisonRate())) {
      send(sub, poisoned(message), traceHeader, ref, traceId, "fault: poison copy sent to queue");
    }
  }

  /** A copy that no consumer can parse: the JSON loses its closing brace (its ids stay readable for the timeline). */
  static String poisoned(String message) {
    return message.substring(0, message.length() - 1);
  }

  private void send(QueueSubscription sub, String body, String traceHeader, EventRef ref, String traceId, String hop) {
    SendMessageRequest.Builder request = SendMessageRequest.builder().queueUrl(sub.queue().url()).messageBody(body);
    if (traceHeader != null) {
      request.messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
          MessageSystemAttributeValue.builder().dataType("String").stringValue(traceHeader).build()));
    }
    if (sub.queue().isFifo()) {
      String group = ref.correlationId() != null ? ref.correlationId() : "default";
      request.messageGroupId(group).messageDeduplicationId(UUID.randomUUID().toString());
    }
    try {
      sqs.sendMessage(request.build());
      spans.hop("sns", hop, ref, traceId, Span.OK, sub.queue().name());
    } catch (RuntimeException e) {
      LOG.warn("SNS delivery from {} to {} failed, moving it to {}: {}", name, sub.queue().name(), sub.queue().dlqName(), e.toString());
      spans.hop("sns", "delivery failed, to subscription DLQ", ref, traceId, Span.ERROR, sub.queue().dlqName() + ": " + e.getMessage());
      if (sub.queue().dlqUrl() != null) {
        sqs.sendMessage(b -> b.queueUrl(sub.queue().dlqUrl()).messageBody(body));
      }
    }
  }
}
