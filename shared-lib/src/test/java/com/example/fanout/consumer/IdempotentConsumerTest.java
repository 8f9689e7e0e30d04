package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.idempotency.DynamoDbPersistenceStore;
import com.example.fanout.testing.ConsumerAws;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer.OrderPlaced;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.TestLambdaContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** At-least-once delivery, exactly-once effect: the runtime with the DynamoDB store on dynalite. */
class IdempotentConsumerTest {
  @RegisterExtension
  static final ConsumerAws aws = ConsumerAws.withDynamoDb("idempotency-dlq");


  private ConsumerRuntime runtime(String service, String consumer) {
    return aws.runtime(service, consumer)
        .idempotency(new DynamoDbPersistenceStore(aws.dynamoDb(), aws.idempotencyTable()))
        .build();
  }

  private OrderPlacedConsumer reserveStock(AtomicInteger calls) {
    return new OrderPlacedConsumer(runtime("inventory", "reserve-stock"), (event, order, ctx) -> {
      calls.incrementAndGet();
      OrderPlacedConsumer.reserve(order, ctx);
    });
  }

  private static SQSBatchResponse deliver(OrderPlacedConsumer consumer, Envelope event) {
    return deliver(consumer, Messages.record(Messages.eventBridgeEvent(event)));
  }

  private static SQSBatchResponse deliver(OrderPlacedConsumer consumer, SQSMessage record) {
    return consumer.handleRequest(Messages.batch(record), new TestLambdaContext("dev-inventory-reserve-stock"));
  }

  private static List<String> failedIds(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
  }

  private boolean recordExists(String key) {
    return aws.dynamoDb().getItem(r -> r.tableName(aws.idempotencyTable()).key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true)).hasItem();
  }

  @Test
  void handleRequest_shouldProcessOnceAndRepublishSameIds_whenEventIsDeliveredTwiceToOneConsumer() {
    AtomicInteger calls = new AtomicInteger();
    OrderPlacedConsumer consumer = reserveStock(calls);
    Envelope event = Messages.orderPlaced();

    SQSBatchResponse first = deliver(consumer, event);
    SQSBatchResponse second = deliver(consumer, event);

    assertThat(failedIds(first)).isEmpty();
    assertThat(failedIds(second)).isEmpty();
    assertThat(calls).hasValue(1);
    String followUp = EventIds.derived(event.id(), "InventoryReserved", "");
    assertThat(aws.eventBridge().publishedIds()).containsExactly(followUp, followUp);
    assertThat(aws.eventBridge().entries().get(1).event()).isEqualTo(aws.eventBridge().entries().get(0).event());
  }

  @Test
  void handleRequest_shouldProcessInEachConsumer_whenOneEventFansOutToTwoConsumers() {
    AtomicInteger reserveCalls = new AtomicInteger();
    AtomicInteger projectionCalls = new AtomicInteger();
    OrderPlacedConsumer reserve = reserveStock(reserveCalls);
    OrderPlacedConsumer projection = new OrderPlacedConsumer(runtime("orders", "status-projection"),
        (event, order, ctx) -> projectionCalls.incrementAndGet());
    Envelope event = Messages.orderPlaced();

    assertThat(failedIds(deliver(reserve, event))).isEmpty();
    assertThat(failedIds(deliver(projection, event))).isEmpty();

    assertThat(reserveCalls).hasValue(1);
    assertThat(projectionCalls).hasValue(1);
    assertThat(recordExists("inventory.reserve-stock#" + event.id())).isTrue();
    assertThat(recordExists("orders.status-projection#" + event.id())).isTrue();
  }

  @Test
  void handleRequest_shouldRepublishSameIdsWithoutRunningHandlerAgain_whenPublishFailedAfterStateChange() {
    AtomicInteger calls = new AtomicInteger();
    OrderPlacedConsumer consumer = reserveStock(calls);
    Envelope event = Messages.orderPlaced();
    aws.eventBridge().failNextCalls(1);

    SQSBatchResponse crashed = deliver(consumer, event);
    SQSBatchResponse retried = deliver(consumer, event);

    assertThat(failedIds(crashed)).hasSize(1);
    assertThat(failedIds(retried)).isEmpty();
    assertThat(calls).hasValue(1);
    assertThat(aws.eventBridge().publishedIds()).containsExactly(EventIds.derived(event.id(), "InventoryReserved", ""));
  }

  @Test
  void handleRequest_shouldLetOnlyOneProceed_whenDuplicateArrivesWhileFirstIsInProgress() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    EventHandler<OrderPlaced> handler = (event, order, ctx) -> {
      calls.incrementAndGet();
      entered.countDown();
      assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      OrderPlacedConsumer.reserve(order, ctx);
    };
    // Two containers of one consumer, sharing only the idempotency table.
    OrderPlacedConsumer containerA = new OrderPlacedConsumer(runtime("inventory", "reserve-stock"), handler);
    OrderPlacedConsumer containerB = new OrderPlacedConsumer(runtime("inventory", "reserve-stock"), handler);
    Envelope event = Messages.orderPlaced();
    SQSMessage copyA = Messages.record(Messages.eventBridgeEvent(event));
    SQSMessage copyB = Messages.record(Messages.eventBridgeEvent(event));

    CompletableFuture<SQSBatchResponse> first = CompletableFuture.supplyAsync(() -> deliver(containerA, copyA));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    SQSBatchResponse duplicate = deliver(containerB, copyB);
    release.countDown();
    SQSBatchResponse original = first.get(10, TimeUnit.SECONDS);

    assertThat(failedIds(duplicate)).containsExactly(copyB.getMessageId());
    assertThat(failedIds(original)).isEmpty();
    assertThat(calls).hasValue(1);
    assertThat(aws.eventBridge().publishedIds()).hasSize(1);
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).isEmpty();
  }

  @Test
  void handleRequest_shouldMoveToDlqAsPoison_whenSameEventIdCarriesDifferentData() {
    AtomicInteger calls = new AtomicInteger();
    OrderPlacedConsumer consumer = reserveStock(calls);
    Envelope event = Messages.orderPlaced();
    com.fasterxml.jackson.databind.node.ObjectNode changed = (com.fasterxml.jackson.databind.node.ObjectNode) event.data();
    changed.put("totalCents", 9999);
    Envelope tampered = new Envelope(event.id(), event.type(), event.version(), event.source(), event.occurredAt(),
        event.correlationId(), event.causationId(), changed);

    deliver(consumer, event);
    SQSBatchResponse response = deliver(consumer, tampered);

    assertThat(failedIds(response)).isEmpty();
    assertThat(calls).hasValue(1);
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).singleElement().satisfies(m -> {
      assertThat(m.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo("idempotency-validation");
      assertThat(m.messageAttributes().get("fanout-failure-reason").stringValue()).contains("different data");
    });
  }

  @Test
  void handleRequest_shouldRunHandlerAgain_whenFirstAttemptFailed() {
    AtomicInteger calls = new AtomicInteger();
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime("inventory", "reserve-stock"), (event, order, ctx) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("stock table throttled");
      }
      OrderPlacedConsumer.reserve(order, ctx);
    });
    Envelope event = Messages.orderPlaced();

    assertThat(failedIds(deliver(consumer, event))).hasSize(1);
    assertThat(failedIds(deliver(consumer, event))).isEmpty();

    assertThat(calls).hasValue(2);
    assertThat(aws.eventBridge().publishedIds()).hasSize(1);
  }
}
