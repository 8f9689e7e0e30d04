package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.idempotency.DynamoDbPersistenceStore;
import com.example.fanout.idempotency.IdempotencyConfig;
import com.example.fanout.testing.ConsumerAws;
import com.example.fanout.testing.InMemoryClaimCheckStore;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.MutableClock;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.TestLambdaContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The idempotency record outlives every way an event comes back, and never outgrows a DynamoDB item (dynalite). */
class IdempotencyAcrossRedriveTest {
  @RegisterExtension
  static final ConsumerAws aws = ConsumerAws.withDynamoDb("redrive-dlq");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final AtomicInteger calls = new AtomicInteger();

  private ConsumerRuntime.Builder runtime(IdempotencyConfig config) {
    return aws.runtime("inventory", "reserve-stock")
        .idempotency(new DynamoDbPersistenceStore(aws.dynamoDb(), aws.idempotencyTable(), config, clock));
  }

  private OrderPlacedConsumer reserveStock(ConsumerRuntime runtime) {
    return new OrderPlacedConsumer(runtime, (event, order, ctx) -> {
      calls.incrementAndGet();
      OrderPlacedConsumer.reserve(order, ctx);
    });
  }

  private static List<String> deliver(OrderPlacedConsumer consumer, Envelope event) {
    SQSBatchResponse response = consumer.handleRequest(Messages.batch(Messages.record(Messages.eventBridgeEvent(event))),
        new TestLambdaContext("dev-inventory-reserve-stock"));
    return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
  }

  private Map<String, AttributeValue> record(String key) {
    return aws.dynamoDb().getItem(r -> r.tableName(aws.idempotencyTable()).key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true)).item();
  }

  /** Two InventoryReserved of 200 KB each: together more than a DynamoDB item holds. */
  private void emitTwo200KbFollowUps(Envelope event, OrderPlacedConsumer.OrderPlaced order, HandlerContext ctx) {
    calls.incrementAndGet();
    for (String part : List.of("a", "b")) {
      ctx.emit("InventoryReserved", part, Map.of(
          "orderId", order.orderId(), "reservationId", part.repeat(200 * 1024),
          "customerId", order.customerId(), "customerEmail", order.customerEmail(),
          "items", List.of(Map.of("sku", "SKU-1", "quantity", 1)),
          "amountCents", order.totalCents(), "currency", order.currency(), "paymentToken", order.paymentToken()));
    }
  }

  /** The handler completed, PutEvents failed, and an operator redrives the message from the DLQ days later. */
  private int handlerRunsAfterRedrive(IdempotencyConfig config, Duration redriveAfter) {
    OrderPlacedConsumer consumer = reserveStock(runtime(config).build());
    Envelope event = Messages.orderPlaced();
    aws.eventBridge().failNextCalls(1);
    assertThat(deliver(consumer, event)).hasSize(1);

    clock.advance(redriveAfter);
    assertThat(deliver(consumer, event)).isEmpty();

    assertThat(aws.eventBridge().publishedIds()).containsExactly(EventIds.derived(event.id(), "InventoryReserved", ""));
    return calls.get();
  }

  @Test
  void handleRequest_shouldNotRunTheSideEffectAgain_whenRedrivenFromTheDlqAfter24Hours() {
    assertThat(handlerRunsAfterRedrive(IdempotencyConfig.defaults(), Duration.ofDays(10))).isEqualTo(1);
  }

  @Test
  void handleRequest_shouldRunTheSideEffectAgain_whenTheRecordLivedOnlyTheOld24Hours() {
    // What the longest-path expiry prevents: the same redrive with the former 24-hour records.
    assertThat(handlerRunsAfterRedrive(new IdempotencyConfig(Duration.ofHours(24)), Duration.ofDays(10))).isEqualTo(2);
  }

  @Test
  void handleRequest_shouldKeepTheRecordForTheLongestPath_whenCompleted() {
    Envelope event = Messages.orderPlaced();

    deliver(reserveStock(runtime(IdempotencyConfig.defaults()).build()), event);

    long expiration = Long.parseLong(record("inventory.reserve-stock#" + event.id()).get("expiration").n());
    assertThat(Instant.ofEpochSecond(expiration)).isEqualTo(clock.instant().plus(Duration.ofDays(1 + 4 + 14)));
  }

  @Test
  void handleRequest_shouldStoreTwo200KbFollowUpsAsClaimCheck_andRepublishThemWithTheSameIds() {
    InMemoryClaimCheckStore store = new InMemoryClaimCheckStore();
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime(IdempotencyConfig.defaults()).claimChecks(store).build(),
        this::emitTwo200KbFollowUps);
    Envelope event = Messages.orderPlaced();
    List<String> ids = List.of(EventIds.derived(event.id(), "InventoryReserved", "a"),
        EventIds.derived(event.id(), "InventoryReserved", "b"));

    assertThat(deliver(consumer, event)).isEmpty();
    assertThat(deliver(consumer, event)).isEmpty();

    assertThat(calls).hasValue(1);
    assertThat(aws.eventBridge().publishedIds()).containsExactlyElementsOf(List.of(ids.get(0), ids.get(1), ids.get(0), ids.get(1)));
    assertThat(aws.eventBridge().entries().get(2).event()).isEqualTo(aws.eventBridge().entries().get(0).event());
    assertThat(store.objects()).hasSize(1).allSatisfy((key, bytes) -> assertThat(bytes.length).isGreaterThan(400 * 1024));
    Map<String, AttributeValue> item = record("inventory.reserve-stock#" + event.id());
    assertThat(item.get("status").s()).isEqualTo("COMPLETED");
    assertThat(item.get("data").s()).contains("$claimCheck").hasSizeLessThan(1024);
  }

  @Test
  void handleRequest_shouldDeadLetterWithTheReason_whenFollowUpsAreTooLargeAndThereIsNoClaimCheckStore() {
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime(IdempotencyConfig.defaults()).build(),
        this::emitTwo200KbFollowUps);
    Envelope event = Messages.orderPlaced();

    assertThat(deliver(consumer, event)).isEmpty();

    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).singleElement().satisfies(m -> {
      assertThat(m.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo("follow-ups-too-large");
      assertThat(m.messageAttributes().get("fanout-failure-reason").stringValue()).contains("CLAIM_CHECK_BUCKET");
    });
    assertThat(aws.eventBridge().publishedIds()).isEmpty();
  }
}
