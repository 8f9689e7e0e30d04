package com.example.fanout.consumer.internal;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.event.InvalidEnvelopeException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * SQS body to envelope: the body is the SNS notification ({@code {"Type":"Notification","Message":...}})
 * or, with raw message delivery, the EventBridge event itself, whose {@code detail} is the envelope.
 */
final class MessageUnwrapper {
  private MessageUnwrapper() {}

  static Envelope unwrap(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidEnvelopeException(body == null ? "the message has no body" : "the message body is empty");
    }
    JsonNode node = EventJson.parse(body);
    if ("Notification".equals(node.path("Type").asText()) && node.path("Message").isTextual()) {
      node = EventJson.parse(node.get("Message").textValue());
    }
    JsonNode detailType = node.get("detail-type");
    JsonNode detail = node.get("detail");
    if (detailType == null || !detailType.isTextual() || detail == null) {
      throw new InvalidEnvelopeException("not an EventBridge event: no detail-type and detail");
    }
    Envelope envelope = EventJson.readEnvelope(detail);
    if (!envelope.type().equals(detailType.textValue())) {
      throw new InvalidEnvelopeException("detail-type " + detailType.textValue() + " differs from the envelope type " + envelope.type());
    }
    JsonNode source = node.get("source");
    if (source != null && !envelope.source().equals(source.asText())) {
      throw new InvalidEnvelopeException("source " + source.asText() + " differs from the envelope source " + envelope.source());
    }
    return envelope;
  }
}
