package com.example.fanout.consumer.internal;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.contract.DeadLetterAttributes;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Moves a poison message to the consumer's DLQ: original body unchanged, the reason in attributes. */
final class DeadLetters {
  static final String REASON = DeadLetterAttributes.REASON;
  static final String CONSUMER = DeadLetterAttributes.CONSUMER;
  static final String FAILURE_CLASS = DeadLetterAttributes.FAILURE_CLASS;
  static final String SOURCE_QUEUE = DeadLetterAttributes.SOURCE_QUEUE;
  static final String ORIGINAL_MESSAGE_ID = DeadLetterAttributes.ORIGINAL_MESSAGE_ID;
  private static final int MAX_REASON_CHARS = 1024;
  /** SQS refuses an empty body; a record can still arrive without one (a caller outside SQS). */
  static final String EMPTY_BODY = "(the message had no body)";

  private final Supplier<SqsClient> sqs;
  private final String queueUrl;
  private final String consumer;

  DeadLetters(Supplier<SqsClient> sqs, String queueUrl, String consumer) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.consumer = consumer;
  }

  /** @throws software.amazon.awssdk.core.exception.SdkException if SQS did not take it */
  void send(SQSMessage message, FailureClass failureClass, String reason) {
    String text = reason == null || reason.isBlank() ? failureClass.label() : reason;
    if (text.length() > MAX_REASON_CHARS) {
      text = text.substring(0, MAX_REASON_CHARS - 1) + "…";
    }
    SendMessageRequest.Builder request = SendMessageRequest.builder()
        .queueUrl(queueUrl)
        .messageBody(message.getBody() == null || message.getBody().isEmpty() ? EMPTY_BODY : message.getBody())
        .messageAttributes(Map.of(
            REASON, string(text),
            CONSUMER, string(consumer),
            FAILURE_CLASS, string(failureClass.label()),
            SOURCE_QUEUE, string(String.valueOf(message.getEventSourceArn())),
            ORIGINAL_MESSAGE_ID, string(message.getMessageId())));
    if (queueUrl.endsWith(".fifo")) {
      String group = message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
      request.messageGroupId(group != null ? group : "poison").messageDeduplicationId(message.getMessageId());
    }
    sqs.get().sendMessage(request.build());
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
