package com.example.fanout.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * Runs a consumer through its test constructor with no network: EventBridge and SQS are in-memory
 * fakes of the SDK interfaces; events go in as the SQS records raw SNS delivery produces. Shared
 * with the service modules through shared-lib's test jar.
 */
public final class ConsumerHarness<C extends EventConsumer> {
  public final List<Envelope> published = new CopyOnWriteArrayList<>();
  public final List<SendMessageRequest> deadLetters = new CopyOnWriteArrayList<>();
  public final ConsumerRuntime runtime;
  public final C consumer;

  public ConsumerHarness(String service, String consumerName, Function<ConsumerRuntime, C> factory) {
    EventBridgeClient eventBridge = new EventBridgeClient() {
      @Override
      public PutEventsResponse putEvents(PutEventsRequest request) {
        List<PutEventsResultEntry> results = new ArrayList<>();
        request.entries().forEach(e -> {
          published.add(EventJson.readEnvelope(e.detail()));
          results.add(PutEventsResultEntry.builder().eventId(UUID.randomUUID().toString()).build());
        });
        return PutEventsResponse.builder().failedEntryCount(0).entries(results).build();
      }

      @Override
      public String serviceName() {
        return "events";
      }

      @Override
      public void close() {}
    };
    SqsClient sqs = new SqsClient() {
      @Override
      public SendMessageResponse sendMessage(SendMessageRequest request) {
        deadLetters.add(request);
        return SendMessageResponse.builder().messageId(UUID.randomUUID().toString()).build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };
    this.runtime = ConsumerRuntime.builder()
        .service(service)
        .consumer(consumerName)
        .sqs(sqs)
        .deadLetterQueueUrl("https://sqs.local/000000000000/" + service + "-" + consumerName + "-dlq")
        .eventBridge(eventBridge, "test-bus")
        .build();
    this.consumer = factory.apply(runtime);
  }

  /** Delivers the envelopes as one SQS batch; returns the ids of the records reported failed. */
  public List<String> deliver(Envelope... events) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Envelope e : events) {
      ObjectNode body = EventJson.mapper().createObjectNode();
      body.put("version", "0");
      body.put("id", UUID.randomUUID().toString());
      body.put("detail-type", e.type());
      body.put("source", e.source());
      body.put("time", e.occurredAt().toString());
      body.set("detail", EventJson.parse(EventJson.writeEnvelope(e)));
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId("msg-" + e.id());
      m.setBody(EventJson.write(body));
      m.setReceiptHandle("rh-" + e.id());
      m.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:test-queue");
      m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
      records.add(m);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    SQSBatchResponse response = consumer.handleRequest(event, null);
    return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
  }

  public List<Envelope> published(String type) {
    return published.stream().filter(e -> e.type().equals(type)).toList();
  }

  /** A whole envelope from {@code src/test/resources/events/<name>}. */
  public static Envelope fixture(String name) {
    try (InputStream in = ConsumerHarness.class.getResourceAsStream("/events/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture events/" + name);
      }
      return EventJson.readEnvelope(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture with some data fields replaced (e.g. another order id or token). */
  public static Envelope fixture(String name, Map<String, Object> dataChanges) {
    Envelope e = fixture(name);
    ObjectNode data = (ObjectNode) e.data();
    dataChanges.forEach((k, v) -> data.set(k, EventJson.tree(v)));
    String id = "evt_" + UUID.nameUUIDFromBytes((e.id() + dataChanges).getBytes()).toString().replace("-", "");
    return new Envelope(id, e.type(), e.version(), e.source(), e.occurredAt(), String.valueOf(data.path("orderId").asText(e.correlationId())),
        e.causationId(), data);
  }

  public static JsonNode data(Envelope e) {
    return e.data();
  }
}
