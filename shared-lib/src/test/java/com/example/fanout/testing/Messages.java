package com.example.fanout.testing;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** SQS records as the event-source mapping delivers them, built from the JSON fixtures. */
public final class Messages {
  public static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:111122223333:dev-inventory-reserve-stock";

  private Messages() {}

  public static String fixture(String name) {
    try (InputStream in = Messages.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Envelope orderPlaced() {
    return EventJson.readEnvelope(fixture("order-placed.json"));
  }

  /** OrderPlaced with another id and order id; {@code edit} may change its data. */
  public static Envelope orderPlaced(String orderId, Consumer<ObjectNode> edit) {
    Envelope base = orderPlaced();
    ObjectNode data = (ObjectNode) base.data();
    data.put("orderId", orderId);
    edit.accept(data);
    return new Envelope("evt_" + UUID.randomUUID().toString().replace("-", ""), base.type(), base.version(),
        base.source(), base.occurredAt(), orderId, null, data);
  }

  /** The EventBridge event SNS raw delivery puts in the SQS body. */
  public static String eventBridgeEvent(Envelope envelope) {
    ObjectNode event = (ObjectNode) EventJson.parse(fixture("eventbridge-event.json"));
    event.put("detail-type", envelope.type());
    event.put("source", envelope.source());
    event.set("detail", EventJson.parse(EventJson.writeEnvelope(envelope)));
    return EventJson.write(event);
  }

  /** The SNS notification a subscription without raw delivery puts in the SQS body. */
  public static String snsNotification(Envelope envelope) {
    ObjectNode notification = (ObjectNode) EventJson.parse(fixture("sns-notification.json"));
    notification.put("Message", eventBridgeEvent(envelope));
    return EventJson.write(notification);
  }

  public static SQSMessage record(String body) {
    return record(body, QUEUE_ARN, Map.of());
  }

  public static SQSMessage record(String body, String queueArn, Map<String, String> attributes) {
    SQSMessage message = new SQSMessage();
    message.setMessageId(UUID.randomUUID().toString());
    message.setReceiptHandle("receipt-" + message.getMessageId());
    message.setBody(body);
    message.setEventSource("aws:sqs");
    message.setEventSourceArn(queueArn);
    message.setAwsRegion("us-east-1");
    Map<String, String> all = new HashMap<>(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1764151200000"));
    all.putAll(attributes);
    message.setAttributes(all);
    return message;
  }

  public static SQSEvent batch(SQSMessage... records) {
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(records));
    return event;
  }
}
