package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.local.servers.ElasticMq;
import com.example.fanout.testing.FakeEventBridge;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.TestLambdaContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class RetryBackoffTest {
  @Test
  void handleRequest_shouldHideFailedRecordForBackoff_whenBackoffIsConfigured() {
    try (ElasticMq sqsServer = ElasticMq.start(0);
         SqsClient sqs = LocalAws.sqs(sqsServer.endpoint());
         FakeEventBridge eventBridge = new FakeEventBridge()) {
      // Visibility timeout 0: without the backoff the failed message would be visible again at once.
      String queueUrl = sqs.createQueue(b -> b.queueName("dev-inventory-reserve-stock")
          .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "0"))).queueUrl();
      String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Messages.eventBridgeEvent(Messages.orderPlaced())));
      Message received = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
          .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
      SQSMessage record = Messages.record(received.body(), queueArn, Map.of("ApproximateReceiveCount", "3"));
      record.setMessageId(received.messageId());
      record.setReceiptHandle(received.receiptHandle());
      OrderPlacedConsumer consumer = new OrderPlacedConsumer(ConsumerRuntime.builder()
          .service("inventory").consumer("reserve-stock")
          .sqs(sqs).deadLetterQueueUrl(LocalAws.newQueue(sqs, "backoff-dlq"))
          .eventBridge(eventBridge.client(), "dev-fanout")
          .visibilityBackoff(Duration.ofSeconds(30), Duration.ofMinutes(15))
          .build(), (event, order, ctx) -> {
            throw new IllegalStateException("payment provider unavailable");
          });

      var response = consumer.handleRequest(Messages.batch(record), new TestLambdaContext("dev-inventory-reserve-stock"));

      assertThat(response.getBatchItemFailures()).hasSize(1);
      assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl)).messages()).isEmpty();
    }
  }
}
