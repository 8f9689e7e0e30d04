package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DynamoDB stream records of the orders table, as the event-source mapping delivers them. */
final class StreamRecords {
  private StreamRecords() {}

  /** An image with {@code status} and an outbox holding {@code events}. */
  static Map<String, AttributeValue> image(String pk, String status, Envelope... events) {
    Map<String, AttributeValue> outbox = new LinkedHashMap<>();
    for (Envelope e : events) {
      outbox.put(e.id(), new AttributeValue().withS(EventJson.writeEnvelope(e)));
    }
    Map<String, AttributeValue> image = new HashMap<>();
    image.put("pk", new AttributeValue().withS(pk));
    image.put("status", new AttributeValue().withS(status));
    image.put("outbox", new AttributeValue().withM(outbox));
    return image;
  }

  static DynamodbStreamRecord record(String eventName, String sequenceNumber, String pk,
      Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
    StreamRecord stream = new StreamRecord();
    stream.setSequenceNumber(sequenceNumber);
    stream.setKeys(Map.of("pk", new AttributeValue().withS(pk)));
    stream.setOldImage(oldImage);
    stream.setNewImage(newImage);
    stream.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
    DynamodbStreamRecord record = new DynamodbStreamRecord();
    record.setEventName(eventName);
    record.setEventSource("aws:dynamodb");
    record.setDynamodb(stream);
    return record;
  }

  static DynamodbEvent event(DynamodbStreamRecord... records) {
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(List.of(records));
    return event;
  }
}
