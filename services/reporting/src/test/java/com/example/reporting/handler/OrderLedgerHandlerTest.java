package com.example.reporting.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.testing.ConsumerHarness;
import com.example.reporting.domain.InMemoryLedgerStore;
import com.example.reporting.domain.LedgerEntry;
import com.example.reporting.domain.OrderLedger;
import com.example.reporting.domain.OrderStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderLedgerHandlerTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private final InMemoryLedgerStore store = new InMemoryLedgerStore();
  private final ConsumerHarness<OrderLedgerHandler> harness = new ConsumerHarness<>("reporting", "order-ledger",
      runtime -> new OrderLedgerHandler(runtime, new OrderLedger(store, java.time.Clock.systemUTC())));

  private static Envelope at(String fixture, int seconds) {
    Envelope e = ConsumerHarness.fixture(fixture + ".json");
    return new Envelope("evt_" + fixture.toLowerCase() + "0000000000000000", e.type(), e.version(), e.source(),
        T0.plusSeconds(seconds), e.correlationId(), e.causationId(), e.data());
  }

  @Test
  void events_shouldBuildTheLedgerEntryOfTheHappyPath_whenDeliveredInOrder() {
    assertThat(harness.deliver(at("OrderPlaced", 0), at("InventoryReserved", 1), at("PaymentAuthorized", 2),
        at("OrderShipped", 3), at("NotificationSent", 4))).isEmpty();

    LedgerEntry entry = store.entry("ord_7Hq2mX9pLk");
    assertThat(entry.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(entry.lastEventType()).isEqualTo("NotificationSent");
    assertThat(entry.notified()).containsExactly("SHIPPED");
    assertThat(entry.amountCents()).isEqualTo(2500);
    assertThat(entry.currency()).isEqualTo("EUR");
    assertThat(harness.published).isEmpty();
  }

  @Test
  void events_shouldIgnoreAStaleEvent_whenItArrivesAfterANewerOne() {
    harness.deliver(at("OrderPlaced", 0), at("PaymentFailed", 5), at("InventoryReserved", 1));

    LedgerEntry entry = store.entry("ord_7Hq2mX9pLk");
    assertThat(entry.status()).isEqualTo(OrderStatus.PAYMENT_FAILED);
    assertThat(entry.failureReason()).isEqualTo("DECLINED");
    assertThat(entry.lastEventType()).isEqualTo("PaymentFailed");
  }

  @Test
  void outOfStock_shouldRecordRejected_whenDelivered() {
    harness.deliver(at("OrderPlaced", 0), at("OutOfStock", 1));

    assertThat(store.entry("ord_7Hq2mX9pLk").status()).isEqualTo(OrderStatus.REJECTED);
    assertThat(store.entry("ord_7Hq2mX9pLk").failureReason()).isEqualTo("OUT_OF_STOCK");
  }
}
