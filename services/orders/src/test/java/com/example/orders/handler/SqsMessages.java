package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Events of the saga as the status-projection queue delivers them (SNS raw delivery of the EventBridge event). */
final class SqsMessages {
  static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:111122223333:dev-orders-status-projection";
  private static final Map<String, String> SAMPLES = Map.of(
      "OrderPlaced", "orders/schemas/samples/OrderPlaced.v1",
      "InventoryReserved", "inventory/schemas/samples/InventoryReserved.v1",
      "OutOfStock", "inventory/schemas/samples/OutOfStock.v1",
      "PaymentAuthorized", "payments/schemas/samples/PaymentAuthorized.v1",
      "PaymentFailed", "payments/schemas/samples/PaymentFailed.v1",
      "OrderShipped", "fulfillment/schemas/samples/OrderShipped.v1",
      "SagaStuck", "reporting/schemas/samples/SagaStuck.v1");
  private static int counter;

  private SqsMessages() {}

  /** The published sample of {@code type} (services/<svc>/schemas/samples), about {@code orderId}, with this id and time. */
  static Envelope event(String type, String eventId, String orderId, Instant occurredAt, Consumer<ObjectNode> edit) {
    Path sample = Path.of("..").resolve(SAMPLES.get(type)).resolve("valid-basic.json");
    Envelope base;
    try {
      base = EventJson.readEnvelope(Files.readString(sample));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode data = (ObjectNode) base.data();
    data.put("orderId", orderId);
    edit.accept(data);
    return new Envelope(eventId, type, 1, base.source(), occurredAt, orderId, null, data);
  }

  static Envelope event(String type, String eventId, String orderId, Instant occurredAt) {
    return event(type, eventId, orderId, occurredAt, d -> { });
  }

  static SQSEvent batch(Envelope... events) {
    SQSEvent batch = new SQSEvent();
    batch.setRecords(java.util.Arrays.stream(events).map(SqsMessages::message).toList());
    return batch;
  }

  private static SQSMessage message(Envelope envelope) {
    ObjectNode event = EventJson.mapper().createObjectNode()
        .put("version", "0").put("id", "eb-" + (++counter)).put("detail-type", envelope.type())
        .put("source", envelope.source()).put("account", "111122223333").put("time", envelope.occurredAt().toString())
        .put("region", "us-east-1");
    event.putArray("resources");
    event.set("detail", EventJson.parse(EventJson.writeEnvelope(envelope)));
    SQSMessage message = new SQSMessage();
    message.setMessageId("msg-" + counter);
    message.setReceiptHandle("receipt-" + counter);
    message.setBody(EventJson.write(event));
    message.setEventSource("aws:sqs");
    message.setEventSourceArn(QUEUE_ARN);
    message.setAwsRegion("us-east-1");
    message.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1764151200000"));
    message.setMessageAttributes(Map.of());
    return message;
  }

  static List<String> failedIds(com.amazonaws.services.lambda.runtime.events.SQSBatchResponse response) {
    return response.getBatchItemFailures().stream()
        .map(com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
  }
}
