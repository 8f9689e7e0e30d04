package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.publish.ClaimCheck;
import com.example.fanout.publish.ClaimCheckStore;
import com.example.fanout.testing.ConsumerAws;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer.OrderPlaced;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class EventConsumerTest {
  @RegisterExtension
  static final ConsumerAws aws = ConsumerAws.sqsOnly("dev-inventory-reserve-stock-dlq");

  private final List<String> handled = new CopyOnWriteArrayList<>();

  private ConsumerRuntime.Builder runtime() {
    return aws.runtime("inventory", "reserve-stock");
  }

  /** Reserves stock; an order id containing "Transient" fails like a throttled table, "Poison" is refused. */
  private OrderPlacedConsumer consumer(ConsumerRuntime runtime) {
    return new OrderPlacedConsumer(runtime, (event, order, ctx) -> {
      handled.add(order.orderId());
      if (order.orderId().contains("Transient")) {
        throw new IllegalStateException("stock table throttled");
      }
      if (order.orderId().contains("Poison")) {
        throw new PoisonMessageException("order " + order.orderId() + " has a SKU that was never sold");
      }
      OrderPlacedConsumer.reserve(order, ctx);
    });
  }

  private SQSBatchResponse handle(OrderPlacedConsumer consumer, SQSMessage... records) {
    return consumer.handleRequest(Messages.batch(records), new TestLambdaContext("dev-inventory-reserve-stock"));
  }

  private static List<String> failedIds(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
  }

  @Test
  void handleRequest_shouldReportOnlyTheTransientRecord_andMovePoisonToDlq_whenBatchMixesGoodPoisonAndTransient() {
    Envelope good1 = Messages.orderPlaced("ord_Good0000001", d -> { });
    Envelope invalid = Messages.orderPlaced("ord_Invalid00001", d -> d.put("totalCents", -1));
    Envelope transientFailure = Messages.orderPlaced("ord_Transient0001", d -> { });
    Envelope good2 = Messages.orderPlaced("ord_Good0000002", d -> { });
    SQSMessage r1 = Messages.record(Messages.eventBridgeEvent(good1));
    SQSMessage poison = Messages.record(Messages.eventBridgeEvent(invalid));
    SQSMessage retry = Messages.record(Messages.eventBridgeEvent(transientFailure));
    SQSMessage r4 = Messages.record(Messages.snsNotification(good2));

    SQSBatchResponse response = handle(consumer(runtime().build()), r1, poison, retry, r4);

    assertThat(failedIds(response)).containsExactly(retry.getMessageId());
    assertThat(handled).containsExactly("ord_Good0000001", "ord_Transient0001", "ord_Good0000002");
    assertThat(aws.eventBridge().publishedIds()).containsExactly(
        EventIds.derived(good1.id(), "InventoryReserved", ""), EventIds.derived(good2.id(), "InventoryReserved", ""));
    List<Message> dead = LocalAws.drain(aws.sqs(), aws.dlqUrl());
    assertThat(dead).hasSize(1);
    Message letter = dead.get(0);
    assertThat(letter.body()).isEqualTo(poison.getBody());
    assertThat(letter.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo("schema-violation");
    assertThat(letter.messageAttributes().get("fanout-failure-reason").stringValue()).contains("totalCents");
    assertThat(letter.messageAttributes().get("fanout-consumer").stringValue()).isEqualTo("inventory.reserve-stock");
    assertThat(letter.messageAttributes().get("fanout-source-queue").stringValue()).isEqualTo(Messages.QUEUE_ARN);
    assertThat(letter.messageAttributes().get("fanout-original-message-id").stringValue()).isEqualTo(poison.getMessageId());
  }

  @Test
  void handleRequest_shouldBuildTheSqsClientOnlyWhenARecordFirstFails() {
    java.util.concurrent.atomic.AtomicInteger builds = new java.util.concurrent.atomic.AtomicInteger();
    ConsumerRuntime lazy = runtime().sqs(com.example.fanout.runtime.AwsClients.onFirstUse(() -> {
      builds.incrementAndGet();
      return aws.sqs();
    })).build();
    OrderPlacedConsumer consumer = consumer(lazy);

    handle(consumer, Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_Good0000003", d -> { }))));
    assertThat(builds).as("a batch that succeeds needs no SQS client").hasValue(0);

    handle(consumer, Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_Poison000003", d -> { }))));
    handle(consumer, Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_Poison000004", d -> { }))));
    assertThat(builds).as("built for the first dead letter, then kept").hasValue(1);
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON       | {\"detail-type\": \"OrderPlaced\", \"detail\": {                                  | invalid-envelope",
      "not an envelope      | {\"detail-type\": \"OrderPlaced\", \"source\": \"com.example.orders\", \"detail\": {\"hello\": 1}} | invalid-envelope",
      "not EventBridge      | {\"Records\": []}                                                                   | invalid-envelope",
      "unknown type         | UNKNOWN                                                                             | unknown-event-type",
      "handler refuses      | POISON                                                                              | handler-poison",
      "no handler for type  | UNHANDLED                                                                           | no-handler",
  })
  void handleRequest_shouldMoveToDlqAndReportSuccess_whenMessageIsPoison(String label, String body, String failureClass) {
    String actual = switch (body) {
      case "UNKNOWN" -> Messages.eventBridgeEvent(new Envelope("evt_unknown1", "OrderTeleported", 1, "com.example.orders",
          Messages.orderPlaced().occurredAt(), "ord_x", null, Messages.orderPlaced().data()));
      case "POISON" -> Messages.eventBridgeEvent(Messages.orderPlaced("ord_Poison000001", d -> { }));
      case "UNHANDLED" -> Messages.eventBridgeEvent(new Envelope("evt_unhandled1", "OrderShipped", 1,
          "com.example.fulfillment", Messages.orderPlaced().occurredAt(), "ord_x", null,
          com.example.fanout.event.EventJson.parse("{\"orderId\":\"ord_7Hq2mX9pLk\",\"shipmentId\":\"shp_1\",\"carrier\":\"ups\",\"trackingNumber\":\"1Z\",\"customerId\":\"cus_1\",\"customerEmail\":\"ada@example.com\"}")));
      default -> body;
    };
    SQSMessage record = Messages.record(actual);

    SQSBatchResponse response = handle(consumer(runtime().build()), record);

    assertThat(failedIds(response)).isEmpty();
    List<Message> dead = LocalAws.drain(aws.sqs(), aws.dlqUrl());
    assertThat(dead).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo(actual);
      assertThat(m.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo(failureClass);
      assertThat(m.messageAttributes().get("fanout-failure-reason").stringValue()).isNotBlank();
    });
  }

  @Test
  void handleRequest_shouldReportPoisonFailed_whenDlqSendFails() {
    ConsumerRuntime runtime = runtime().deadLetterQueueUrl(aws.queueUrl("no-such-dlq")).build();
    SQSMessage poison = Messages.record("{not json");

    SQSBatchResponse response = handle(consumer(runtime), poison);

    assertThat(failedIds(response)).containsExactly(poison.getMessageId());
  }

  @Test
  void handleRequest_shouldFailRestOfGroup_whenARecordOfAFifoGroupFails() {
    String fifoArn = "arn:aws:sqs:us-east-1:111122223333:dev-inventory-reserve-stock.fifo";
    SQSMessage a1 = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_GroupA00001", d -> { })),
        fifoArn, Map.of("MessageGroupId", "A"));
    SQSMessage a2 = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_Transient0002", d -> { })),
        fifoArn, Map.of("MessageGroupId", "A"));
    SQSMessage b1 = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_GroupB00001", d -> { })),
        fifoArn, Map.of("MessageGroupId", "B"));
    SQSMessage a3 = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_GroupA00003", d -> { })),
        fifoArn, Map.of("MessageGroupId", "A"));

    SQSBatchResponse response = handle(consumer(runtime().build()), a1, a2, b1, a3);

    assertThat(failedIds(response)).containsExactly(a2.getMessageId(), a3.getMessageId());
    assertThat(handled).containsExactly("ord_GroupA00001", "ord_Transient0002", "ord_GroupB00001");
  }

  @Test
  void handleRequest_shouldContinueGroups_whenQueueIsStandard() {
    SQSMessage failing = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_Transient0003", d -> { })),
        Messages.QUEUE_ARN, Map.of("MessageGroupId", "A"));
    SQSMessage next = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced("ord_GroupA00004", d -> { })),
        Messages.QUEUE_ARN, Map.of("MessageGroupId", "A"));

    SQSBatchResponse response = handle(consumer(runtime().build()), failing, next);

    assertThat(failedIds(response)).containsExactly(failing.getMessageId());
    assertThat(handled).containsExactly("ord_Transient0003", "ord_GroupA00004");
  }

  @Test
  void handleRequest_shouldReportFailed_whenFollowUpEventsCannotBePublished() {
    aws.eventBridge().failNextCalls(1);
    SQSMessage record = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced()));

    SQSBatchResponse response = handle(consumer(runtime().build()), record);

    assertThat(failedIds(response)).containsExactly(record.getMessageId());
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).isEmpty();
  }

  @Test
  void handleRequest_shouldMoveToDlq_whenHandlerEmitsAnEventItsSchemaRejects() {
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime().build(),
        (event, order, ctx) -> ctx.emit("InventoryReserved", Map.of("orderId", order.orderId())));
    SQSMessage record = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced()));

    SQSBatchResponse response = handle(consumer, record);

    assertThat(failedIds(response)).isEmpty();
    assertThat(aws.eventBridge().entries()).isEmpty();
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).singleElement()
        .satisfies(m -> assertThat(m.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo("schema-violation"));
  }

  @Test
  void handleRequest_shouldHandTheStoredPayloadToTheHandler_whenEventIsClaimChecked() throws Exception {
    Envelope original = Messages.orderPlaced();
    byte[] payload = EventJson.write(original.data()).getBytes(StandardCharsets.UTF_8);
    ClaimCheck claim = new ClaimCheck("claims", "com.example.orders/OrderPlaced/" + original.id() + ".json",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)), payload.length);
    ClaimCheckStore store = new ClaimCheckStore() {
      @Override
      public ClaimCheck put(String key, byte[] bytes) {
        throw new UnsupportedOperationException("consumers only read claim checks");
      }

      @Override
      public byte[] get(ClaimCheck requested) {
        return requested.equals(claim) ? payload : null;
      }
    };
    ObjectNode reference = EventJson.mapper().createObjectNode();
    reference.set(ClaimCheck.FIELD, EventJson.tree(claim));
    Envelope claimChecked = new Envelope(original.id(), original.type(), original.version(), original.source(),
        original.occurredAt(), original.correlationId(), original.causationId(), reference);
    List<OrderPlaced> received = new CopyOnWriteArrayList<>();
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime().claimChecks(store).build(),
        (event, order, ctx) -> received.add(order));

    SQSBatchResponse response = handle(consumer, Messages.record(Messages.eventBridgeEvent(claimChecked)));

    assertThat(failedIds(response)).isEmpty();
    assertThat(received).singleElement().satisfies(order -> {
      assertThat(order.orderId()).isEqualTo("ord_7Hq2mX9pLk");
      assertThat(order.items()).hasSize(1);
    });
  }

  @Test
  void handleRequest_shouldKeepMessageGroupInFifoDlq_whenPoisonComesFromFifoQueue() {
    String fifoDlq = aws.sqs().createQueue(b -> b.queueName("dev-inventory-reserve-stock-dlq-" + System.nanoTime() + ".fifo")
        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    SQSMessage poison = Messages.record("{not json", "arn:aws:sqs:us-east-1:111122223333:dev-inventory-reserve-stock.fifo",
        Map.of("MessageGroupId", "ord_7Hq2mX9pLk"));

    SQSBatchResponse response = handle(consumer(runtime().deadLetterQueueUrl(fifoDlq).build()), poison);

    assertThat(failedIds(response)).isEmpty();
    List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(fifoDlq).messageAttributeNames("All")
        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
    assertThat(dead).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo("{not json");
      assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "ord_7Hq2mX9pLk");
    });
  }

  @Test
  void handleRequest_shouldProcess_whenCallerPassesNoLambdaContext() {
    SQSMessage record = Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced()));

    SQSBatchResponse response = consumer(runtime().build()).handleRequest(Messages.batch(record), null);

    assertThat(failedIds(response)).isEmpty();
    assertThat(aws.eventBridge().entries()).hasSize(1);
  }

  @Test
  void emit_shouldDeriveIdsFromCauseAndKey_whenSeveralEventsOfOneTypeAreEmitted() {
    List<Envelope> emitted = new CopyOnWriteArrayList<>();
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime().build(), (event, order, ctx) -> {
      emitted.add(ctx.emit("OutOfStock", "SKU-1", Map.of("orderId", order.orderId(), "customerId", order.customerId(),
          "customerEmail", order.customerEmail(), "unavailable", List.of(Map.of("sku", "SKU-1", "requested", 2, "available", 0)))));
    });
    Envelope cause = Messages.orderPlaced();

    handle(consumer, Messages.record(Messages.eventBridgeEvent(cause)));

    assertThat(emitted).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo(EventIds.derived(cause.id(), "OutOfStock", "SKU-1"));
      assertThat(e.causationId()).isEqualTo(cause.id());
      assertThat(e.correlationId()).isEqualTo(cause.correlationId());
      assertThat(e.source()).isEqualTo("com.example.inventory");
    });
  }
}
