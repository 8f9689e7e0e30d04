package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.servers.ElasticMq;
import com.example.fanout.testing.FakeEventBridge;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.OrderPlacedConsumer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class PrimingTest {
  @Test
  void beforeCheckpoint_shouldWarmTheRuntimeWithoutSideEffects_whenSnapshotIsTaken() {
    try (ElasticMq sqsServer = ElasticMq.start(0);
         SqsClient sqs = LocalAws.sqs(sqsServer.endpoint());
         FakeEventBridge eventBridge = new FakeEventBridge()) {
      String dlqUrl = LocalAws.newQueue(sqs, "priming-dlq");
      AtomicInteger calls = new AtomicInteger();
      ConsumerRuntime runtime = ConsumerRuntime.builder()
          .service("inventory").consumer("reserve-stock")
          .sqs(sqs).deadLetterQueueUrl(dlqUrl)
          .eventBridge(eventBridge.client(), "dev-fanout")
          .build();
      OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime, (event, order, ctx) -> calls.incrementAndGet());

      consumer.beforeCheckpoint(null);

      assertThat(runtime.awsActions()).as("what the manifest grants its own code, and its priming warms")
          .containsExactly("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "events:PutEvents");
      assertThat(calls).hasValue(0);
      assertThat(eventBridge.entries()).isEmpty();
      assertThat(LocalAws.drain(sqs, dlqUrl)).isEmpty();
    }
  }
}
