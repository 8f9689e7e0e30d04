package com.example.fanout.local;

import static com.example.fanout.local.Events.entry;
import static com.example.fanout.local.Events.newCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.testing.ReceivedMessage;
import com.example.fanout.local.testing.Recorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(TestPlatform.Lifecycle.class)
class RedriveTest {
  private static EventBridgeClient events;
  private static SqsClient sqs;

  @BeforeAll
  static void start() {
    TestPlatform.get();
    events = TestPlatform.eventBridge();
    sqs = TestPlatform.sqs();
  }

  @AfterAll
  static void closeClients() {
    events.close();
    sqs.close();
  }

  @Test
  void batchItemFailure_shouldBeRetriedAndRedrivenToDlq_whileTheSuccessesAreDeletedOnce() {
    String ok1 = newCorrelationId();
    String ok2 = newCorrelationId();
    String bad = newCorrelationId();
    events.putEvents(b -> b.entries(
        entry("com.example.shop", "OrderPlaced", ok1, Map.of("channel", "web")),
        entry("com.example.shop", "OrderPlaced", bad, Map.of("channel", "web", "fail", true)),
        entry("com.example.shop", "OrderPlaced", ok2, Map.of("channel", "web"))));

    String dlq = TestPlatform.get().queue("billing-charge").dlqUrl();
    List<String> inDlq = new java.util.ArrayList<>();
    Eventually.await(TestPlatform.TIMEOUT, () -> {
      sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0)).messages()
          .forEach(m -> inDlq.add(m.body()));
      return inDlq.stream().anyMatch(body -> body.contains(bad));
    }, "the failing message in " + dlq);

    assertThat(deliveries(bad)).as("received maxReceiveCount (2) times, then moved by SQS").hasSize(2)
        .allMatch(ReceivedMessage::failed);
    assertThat(deliveries(bad)).extracting(m -> m.attributes().get("ApproximateReceiveCount")).containsExactly("1", "2");
    assertThat(deliveries(ok1)).as("a success in the same batch is deleted, never retried").hasSize(1);
    assertThat(deliveries(ok2)).hasSize(1);
    assertThat(inDlq).noneMatch(body -> body.contains(ok1) || body.contains(ok2));
    assertThat(TestPlatform.get().timeline().spans(bad)).anyMatch(s -> s.name().equals("poller failed, next receive moves it to DLQ"));
  }

  private static List<ReceivedMessage> deliveries(String correlationId) {
    return Recorder.received("billing-charge", ReceivedMessage.class).stream()
        .filter(m -> correlationId.equals(m.correlationId())).toList();
  }
}
