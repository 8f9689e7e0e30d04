package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.ConsumerAws;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.StdoutCapture;
import com.example.fanout.testing.TestLambdaContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One record that misbehaves fails only itself: a batch of 10 where records 1-3 succeed, record 4
 * misbehaves and 5-10 follow, on ElasticMQ.
 */
class RecordErrorBoundaryTest {
  @RegisterExtension
  static final ConsumerAws aws = ConsumerAws.sqsOnly("dev-inventory-reserve-stock-dlq");
  private static final int MISBEHAVING = 4;

  private final List<String> handled = new CopyOnWriteArrayList<>();

  private ConsumerRuntime runtime() {
    return aws.runtime("inventory", "reserve-stock").build();
  }

  /** Record 4's order id names its misbehaviour; the others reserve stock. */
  private OrderPlacedConsumer consumer(ConsumerRuntime runtime) {
    return new OrderPlacedConsumer(runtime, (event, order, ctx) -> {
      handled.add(order.orderId());
      switch (order.orderId().replaceAll("\\d+$", "")) {
        case "ord_StackOverflow" -> recurse(1);
        case "ord_FailedStaticInit" -> FailsToInitialise.touch();
        case "ord_LinkageError" -> throw new NoClassDefFoundError("com/example/Missing");
        case "ord_AssertionError" -> throw new AssertionError("invariant broken by this payload");
        case "ord_Transient" -> throw new IllegalStateException("stock table throttled");
        case "ord_OutOfMemory" -> throw new OutOfMemoryError("Java heap space");
        default -> OrderPlacedConsumer.reserve(order, ctx);
      }
    });
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  /** A class whose static initialiser throws, as a handler's dependency with a broken static field would. */
  static final class FailsToInitialise {
    static final int VALUE = Integer.parseInt(System.getProperty("fanout.test.no-such-property", "not a number"));

    static int touch() {
      return VALUE;
    }
  }

  /** Ten records; record 4 carries {@code body4} (null: an OrderPlaced for order {@code ord_<behaviour>0004}). */
  private static List<SQSMessage> batch(String behaviour, String body4, boolean nullBody) {
    List<SQSMessage> records = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      String orderId = i == MISBEHAVING ? "ord_" + behaviour + "000" + i : "ord_Good00000" + i;
      SQSMessage record = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced(orderId, d -> { })));
      if (i == MISBEHAVING && (body4 != null || nullBody)) {
        record.setBody(body4);
      }
      records.add(record);
    }
    return records;
  }

  private SQSBatchResponse handle(OrderPlacedConsumer consumer, List<SQSMessage> records) {
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return consumer.handleRequest(event, new TestLambdaContext("dev-inventory-reserve-stock"));
  }

  private static List<String> failedIds(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
  }

  private static List<String> goodOrders(int... numbers) {
    List<String> ids = new ArrayList<>();
    for (int n : numbers) {
      ids.add("ord_Good00000" + n);
    }
    return ids;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"StackOverflow", "FailedStaticInit", "LinkageError", "AssertionError"})
  void handleRequest_shouldDeadLetterOnlyRecord4AsHandlerError_whenItsHandlerThrowsAnError(String behaviour) {
    List<SQSMessage> records = batch(behaviour, null, false);

    SQSBatchResponse response = handle(consumer(runtime()), records);

    assertThat(failedIds(response)).isEmpty();
    assertThat(handled).containsAll(goodOrders(1, 2, 3, 5, 6, 7, 8, 9, 10)).hasSize(10);
    assertThat(aws.eventBridge().publishedIds()).hasSize(9);
    List<Message> dead = LocalAws.drain(aws.sqs(), aws.dlqUrl());
    assertThat(dead).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo(records.get(MISBEHAVING - 1).getBody());
      assertThat(m.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo("handler-error");
      assertThat(m.messageAttributes().get("fanout-original-message-id").stringValue())
          .isEqualTo(records.get(MISBEHAVING - 1).getMessageId());
    });
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(strings = {"null", "empty", "blank"})
  void handleRequest_shouldDeadLetterOnlyRecord4AsInvalidEnvelope_whenItHasNoBody(String kind) {
    String body = switch (kind) {
      case "null" -> null;
      case "empty" -> "";
      default -> "   ";
    };
    List<SQSMessage> records = batch("NoBody", body, body == null);

    SQSBatchResponse response = handle(consumer(runtime()), records);

    assertThat(failedIds(response)).isEmpty();
    assertThat(handled).containsExactlyElementsOf(goodOrders(1, 2, 3, 5, 6, 7, 8, 9, 10));
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).singleElement().satisfies(m -> {
      assertThat(m.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo("invalid-envelope");
      assertThat(m.messageAttributes().get("fanout-failure-reason").stringValue()).contains("body");
    });
  }

  @Test
  void handleRequest_shouldReportOnlyRecord4Failed_whenItsFailureIsTransient() {
    List<SQSMessage> records = batch("Transient", null, false);

    SQSBatchResponse response = handle(consumer(runtime()), records);

    assertThat(failedIds(response)).containsExactly(records.get(MISBEHAVING - 1).getMessageId());
    assertThat(handled).hasSize(10);
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).isEmpty();
  }

  @Test
  void handleRequest_shouldReportRecords1To3DoneAndTheRestFailed_whenRecord4EndsInOutOfMemory() {
    List<SQSMessage> records = batch("OutOfMemory", null, false);

    SQSBatchResponse response = handle(consumer(runtime()), records);

    assertThat(failedIds(response)).containsExactlyElementsOf(
        records.subList(MISBEHAVING - 1, 10).stream().map(SQSMessage::getMessageId).toList());
    assertThat(handled).containsExactly("ord_Good000001", "ord_Good000002", "ord_Good000003", "ord_OutOfMemory0004");
    assertThat(aws.eventBridge().publishedIds()).hasSize(3);
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).isEmpty();
  }

  @ParameterizedTest(name = "POWERTOOLS_LOGGER_SAMPLE_RATE={0}")
  @ValueSource(strings = {"abc", "0,1", "10%", "1.5", "-0.2", "NaN"})
  void fromEnvironment_shouldWarnAndProcessTheBatch_whenSampleRateIsNotANumberFrom0To1(String rate) {
    System.setProperty("aws.region", "us-east-1");
    Map<String, String> env = Map.of(
        "FANOUT_SERVICE", "inventory", "FANOUT_FUNCTION", "reserve-stock", "EVENT_BUS_NAME", "dev-fanout",
        "DLQ_URL", aws.dlqUrl(), "FANOUT_TRACER", "none", "POWERTOOLS_LOGGER_SAMPLE_RATE", rate);
    try (StdoutCapture out = new StdoutCapture()) {
      ConsumerRuntime fromEnv = FunctionEnvironment.with(env, ConsumerRuntime::fromEnvironment);
      ConsumerRuntime runtime = ConsumerRuntime.builder()
          .service("inventory").consumer("reserve-stock")
          .sqs(aws.sqs()).deadLetterQueueUrl(aws.dlqUrl())
          .eventBridge(aws.eventBridge().client(), "dev-fanout")
          .logSampleRate(fromEnv.parts().logSampleRate())
          .build();

      SQSBatchResponse response = handle(consumer(runtime), batch("Transient", null, false));

      assertThat(fromEnv.parts().logSampleRate()).isZero();
      assertThat(failedIds(response)).hasSize(1);
      assertThat(handled).hasSize(10);
      assertThat(out.jsonLines()).anySatisfy(line -> {
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).contains("POWERTOOLS_LOGGER_SAMPLE_RATE", rate, "default 0");
      });
    } finally {
      System.clearProperty("aws.region");
    }
  }

  @Test
  void remainingTime_shouldMatchTheInProgressClaim_whenCalledWithoutLambdaContext() {
    var store = new com.example.fanout.testing.InMemoryPersistenceStore();
    List<Duration> told = new CopyOnWriteArrayList<>();
    ConsumerRuntime runtime = ConsumerRuntime.builder()
        .service("inventory").consumer("reserve-stock")
        .sqs(aws.sqs()).deadLetterQueueUrl(aws.dlqUrl())
        .eventBridge(aws.eventBridge().client(), "dev-fanout")
        .idempotency(store)
        .build();
    List<Long> claims = new CopyOnWriteArrayList<>();
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime, (event, order, ctx) -> {
      told.add(ctx.remainingTime());
      claims.add(store.inProgressExpiry(runtime.qualifiedName() + "#" + event.id()) - System.currentTimeMillis());
    });
    SQSEvent event = new SQSEvent();
    event.setRecords(batch("Good", null, false));

    consumer.handleRequest(event, null);

    assertThat(told).hasSize(10).allSatisfy(d -> assertThat(d).isGreaterThan(Duration.ofMinutes(14)));
    for (int i = 0; i < 10; i++) {
      assertThat(claims.get(i)).isCloseTo(told.get(i).toMillis(), org.assertj.core.data.Offset.offset(5_000L));
    }
  }
}
