package com.example.orders.handler;

import static com.example.orders.handler.SqsMessages.batch;
import static com.example.orders.handler.SqsMessages.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderStatus;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.StatusChange;
import com.example.orders.domain.ChannelRule;
import com.example.orders.domain.Validation;
import com.example.orders.fakes.FakeSqsClient;
import com.example.orders.fakes.Fixtures;
import com.example.orders.fakes.InMemoryOrderStore;
import com.example.orders.fakes.NoEventBridgeClient;
import com.example.orders.fakes.TestContext;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusProjectionHandlerTest {
  private static final String ORDER = "ord_PRJ0000000000000001";
  private static final Instant T0 = Fixtures.NOW;

  private final InMemoryOrderStore store = new InMemoryOrderStore();
  private final FakeSqsClient sqs = new FakeSqsClient();
  private StatusProjectionHandler handler;

  @BeforeEach
  void placeOrderAndBuildHandler() {
    var request = ((Validation.Valid) new OrderValidator().validate(Fixtures.json("order-request.json"), ChannelRule.API)).request();
    new OrderPlacement(store, null, Fixtures.CLOCK).place(request, ORDER, null, "fp", null);
    ConsumerRuntime runtime = ConsumerRuntime.builder()
        .service("orders")
        .consumer("status-projection")
        .sqs(sqs)
        .deadLetterQueueUrl("https://sqs.us-east-1.amazonaws.com/111122223333/dev-orders-status-projection-dlq")
        .eventBridge(new NoEventBridgeClient(), "dev-fanout")
        .build();
    handler = new StatusProjectionHandler(runtime, store);
  }

  private Order order() {
    return store.find(ORDER).orElseThrow();
  }

  private com.amazonaws.services.lambda.runtime.events.SQSBatchResponse handle(com.amazonaws.services.lambda.runtime.events.SQSEvent batch) {
    return handler.handleRequest(batch, new TestContext("dev-orders-status-projection"));
  }

  @Test
  void saga_shouldMoveTheOrderForwardAndRecordHistory_whenEventsArriveInOrder() {
    var response = handle(batch(
        event("OrderPlaced", "evt_placed", ORDER, T0),
        event("InventoryReserved", "evt_reserved", ORDER, T0.plusSeconds(1)),
        event("PaymentAuthorized", "evt_paid", ORDER, T0.plusSeconds(2)),
        event("OrderShipped", "evt_shipped", ORDER, T0.plusSeconds(3))));

    assertThat(SqsMessages.failedIds(response)).isEmpty();
    assertThat(order().status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(order().statusHistory()).extracting(StatusChange::status)
        .containsExactly("PLACED", "RESERVED", "PAYMENT_AUTHORIZED", "SHIPPED");
    assertThat(order().statusHistory().getLast()).isEqualTo(
        new StatusChange("SHIPPED", "OrderShipped", "evt_shipped", T0.plusSeconds(3)));
  }

  @Test
  void saga_shouldIgnoreStaleAndDuplicateEvents_whenTheyArriveLate() {
    handle(batch(
        event("PaymentAuthorized", "evt_paid", ORDER, T0.plusSeconds(2)),
        event("InventoryReserved", "evt_reserved", ORDER, T0.plusSeconds(1)),
        event("PaymentAuthorized", "evt_paid", ORDER, T0.plusSeconds(2))));

    assertThat(order().status()).isEqualTo(OrderStatus.PAYMENT_AUTHORIZED);
    assertThat(order().statusHistory()).extracting(StatusChange::eventId).containsExactly(
        order().statusHistory().getFirst().eventId(), "evt_paid");
  }

  @Test
  void outOfStock_shouldRejectTheOrderForGood_whenLaterEventsArrive() {
    handle(batch(
        event("OutOfStock", "evt_oos", ORDER, T0.plusSeconds(1)),
        event("InventoryReserved", "evt_reserved", ORDER, T0.plusSeconds(2))));

    assertThat(order().status()).isEqualTo(OrderStatus.REJECTED);
  }

  @Test
  void paymentFailed_shouldBeTerminal_whenTheOrderWasReserved() {
    handle(batch(
        event("InventoryReserved", "evt_reserved", ORDER, T0.plusSeconds(1)),
        event("PaymentFailed", "evt_failed", ORDER, T0.plusSeconds(2)),
        event("PaymentAuthorized", "evt_paid", ORDER, T0.plusSeconds(3))));

    assertThat(order().status()).isEqualTo(OrderStatus.PAYMENT_FAILED);
  }

  @Test
  void sagaStuck_shouldFlagTheOrderWithoutMovingItsStatus_whenNoProgressWasMadeSince() {
    handle(batch(
        event("InventoryReserved", "evt_reserved", ORDER, T0.plusSeconds(1)),
        event("SagaStuck", "evt_stuck", ORDER, T0.plusSeconds(3600),
            d -> d.put("lastStatus", "RESERVED").put("lastEventType", "InventoryReserved")
                .put("lastEventAt", T0.plusSeconds(1).toString()))));

    assertThat(order().status()).isEqualTo(OrderStatus.RESERVED);
    assertThat(order().stuck()).isTrue();
    assertThat(order().statusHistory().getLast().status()).isEqualTo("STUCK");
  }

  @Test
  void sagaStuck_shouldBeIgnored_whenTheOrderMovedAfterTheReport() {
    handle(batch(
        event("InventoryReserved", "evt_reserved", ORDER, T0.plusSeconds(5)),
        event("SagaStuck", "evt_stuck", ORDER, T0.plusSeconds(3600), d -> d.put("lastEventAt", T0.toString()))));

    assertThat(order().stuck()).isFalse();
  }

  @Test
  void anyEvent_shouldGoToTheDlqAsPoison_whenTheOrderDoesNotExist() {
    var response = handle(batch(event("InventoryReserved", "evt_reserved", "ord_NOSUCHORDER00000001", T0.plusSeconds(1))));

    assertThat(SqsMessages.failedIds(response)).isEmpty();
    assertThat(sqs.sent).singleElement().satisfies(m -> {
      assertThat(m.queueUrl()).endsWith("dev-orders-status-projection-dlq");
      assertThat(m.messageAttributes().toString()).contains("ord_NOSUCHORDER00000001");
    });
  }
}
