package com.example.fanout.ops;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Redrive of a rule-target DLQ ({@code <env>-<service>-events-rule-dlq}): each message there is a
 * whole EventBridge event the rule could not deliver. It is put back on the bus (same source,
 * detail-type, detail, time and resources; EventBridge gives it a new event id, consumers deduplicate
 * on the envelope's) and deleted from the DLQ only once PutEvents accepted it, so nothing is lost;
 * a message is handled at most once per run, so nothing is put twice. Events that fail again land
 * in the DLQ as new messages and are left for the next run.
 */
final class RuleDlqRedrive {
  private static final int VISIBILITY_SECONDS = 60;

  private final SqsClient sqs;
  private final EventBridgeClient events;
  private final String busName;

  /** What one run did: events accepted by PutEvents (and deleted), and those still parked, with why. */
  record Outcome(int published, List<Output.Failure> refused) {}

  RuleDlqRedrive(SqsClient sqs, EventBridgeClient events, String busName) {
    this.sqs = sqs;
    this.events = events;
    this.busName = busName;
  }

  /** Re-publishes up to the DLQ's current depth, reporting each batch to {@code progress}. */
  Outcome redrive(String dlqName, String dlqUrl, long depth, Instant deadline, Progress progress) {
    Set<String> seen = new HashSet<>();
    int published = 0;
    List<Output.Failure> refused = new ArrayList<>();
    while (seen.size() < depth && Instant.now().isBefore(deadline)) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
          .visibilityTimeout(VISIBILITY_SECONDS).waitTimeSeconds(1)).messages().stream()
          .filter(m -> seen.add(m.messageId())).toList();
      if (batch.isEmpty()) {
        continue;
      }
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (Message m : batch) {
        entries.add(entry(dlqName, m));
      }
      List<PutEventsResultEntry> results = events.putEvents(b -> b.entries(entries)).entries();
      for (int i = 0; i < batch.size(); i++) {
        Message m = batch.get(i);
        PutEventsResultEntry r = results.get(i);
        if (r.errorCode() == null) {
          sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
          published++;
        } else {
          refused.add(new Output.Failure(m.messageId(), "PutEvents refused it: " + r.errorCode() + " " + r.errorMessage()));
          sqs.changeMessageVisibility(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
      }
      progress.update(published + refused.size());
    }
    progress.finish(published + refused.size());
    return new Outcome(published, refused);
  }

  private PutEventsRequestEntry entry(String dlqName, Message m) {
    JsonNode event;
    try {
      event = EventJson.parse(m.body());
    } catch (RuntimeException e) {
      event = null;
    }
    if (event == null || !event.path("detail").isObject() || !event.hasNonNull("source") || !event.hasNonNull("detail-type")) {
      throw new OpsException(Fanout.REFUSED, "message " + m.messageId() + " of " + dlqName + " is not an EventBridge event"
          + " (source, detail-type, detail); nothing was re-published from it. Inspect it with fanout dlq inspect.");
    }
    PutEventsRequestEntry.Builder b = PutEventsRequestEntry.builder().eventBusName(busName)
        .source(event.get("source").asText()).detailType(event.get("detail-type").asText())
        .detail(EventJson.write(event.get("detail")));
    if (event.hasNonNull("time")) {
      b.time(Instant.parse(event.get("time").asText()));
    }
    List<String> resources = new ArrayList<>();
    event.path("resources").forEach(r -> resources.add(r.asText()));
    return b.resources(resources).build();
  }
}
