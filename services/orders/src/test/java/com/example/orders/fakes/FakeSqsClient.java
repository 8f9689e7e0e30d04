package com.example.orders.fakes;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** Records the messages the consumer runtime sends (poison messages moved to the DLQ); no network. */
public final class FakeSqsClient implements SqsClient {
  public final List<SendMessageRequest> sent = new ArrayList<>();

  @Override
  public SendMessageResponse sendMessage(SendMessageRequest request) {
    sent.add(request);
    return SendMessageResponse.builder().messageId("dlq-" + sent.size()).build();
  }

  @Override
  public String serviceName() {
    return "sqs";
  }

  @Override
  public void close() {}
}
