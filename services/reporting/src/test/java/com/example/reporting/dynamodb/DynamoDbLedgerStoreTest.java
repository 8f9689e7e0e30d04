package com.example.reporting.dynamodb;

import static com.example.reporting.domain.LedgerFixtures.authorized;
import static com.example.reporting.domain.LedgerFixtures.notified;
import static com.example.reporting.domain.LedgerFixtures.paymentFailed;
import static com.example.reporting.domain.LedgerFixtures.placed;
import static com.example.reporting.domain.LedgerFixtures.reserved;
import static com.example.reporting.domain.LedgerFixtures.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.testing.LocalAws;
import com.example.reporting.domain.LedgerEntry;
import com.example.reporting.domain.OrderStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Staleness rules against real conditional updates (dynalite). */
class DynamoDbLedgerStoreTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static Dynalite dynalite;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void start() {
    dynalite = Dynalite.start();
    dynamo = LocalAws.dynamoDb(dynalite.endpoint());
  }

  @AfterAll
  static void stop() {
    dynamo.close();
    dynalite.close();
  }

  private static DynamoDbLedgerStore newStore() {
    return new DynamoDbLedgerStore(dynamo, LocalAws.createTable(dynamo, "test-reporting-ledger-" + TABLES.incrementAndGet(), "order_id"));
  }

  private static LedgerEntry entry(DynamoDbLedgerStore store, String orderId) {
    return store.scan().filter(e -> e.orderId().equals(orderId)).findFirst().orElseThrow();
  }

  @Test
  void apply_shouldKeepTheNewestProgress_whenEventsArriveOutOfOrderAndTwice() {
    DynamoDbLedgerStore store = newStore();

    assertThat(store.apply(placed("ord_A", T0, 2500, "EUR"))).isTrue();
    assertThat(store.apply(notified("ord_A", T0.plusSeconds(40), "SHIPPED"))).isTrue();   // overtook OrderShipped
    assertThat(store.apply(shipped("ord_A", T0.plusSeconds(30)))).isTrue();              // status moves, last event does not
    assertThat(store.apply(authorized("ord_A", T0.plusSeconds(20)))).isFalse();          // stale
    assertThat(store.apply(reserved("ord_A", T0.plusSeconds(10)))).isFalse();            // stale
    assertThat(store.apply(shipped("ord_A", T0.plusSeconds(30)))).isFalse();             // duplicate

    LedgerEntry a = entry(store, "ord_A");
    assertThat(a.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(a.lastEventType()).isEqualTo("NotificationSent");
    assertThat(a.lastEventId()).isEqualTo("evt_notified_ord_A");
    assertThat(a.lastEventAt()).isEqualTo(T0.plusSeconds(40));
    assertThat(a.notified()).containsExactly("SHIPPED");
    assertThat(a.amountCents()).isEqualTo(2500);
    assertThat(a.currency()).isEqualTo("EUR");
    assertThat(a.placedAt()).isEqualTo(T0);
  }

  @Test
  void apply_shouldWriteOnce_whenTheEventIsNewerThanAllTheItemHolds_andApartWhenItIsNot() {
    AtomicInteger updates = new AtomicInteger();
    DynamoDbClient counting = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
        new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
          if (method.getName().equals("updateItem")) {
            updates.incrementAndGet();
          }
          try {
            return method.invoke(dynamo, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    DynamoDbLedgerStore store = new DynamoDbLedgerStore(counting,
        LocalAws.createTable(dynamo, "test-reporting-ledger-" + TABLES.incrementAndGet(), "order_id"));

    assertThat(store.apply(placed("ord_W", T0, 2500, "EUR"))).isTrue();
    assertThat(store.apply(reserved("ord_W", T0.plusSeconds(10)))).isTrue();
    assertThat(store.apply(notified("ord_W", T0.plusSeconds(40), "SHIPPED"))).isTrue();
    assertThat(updates.getAndSet(0)).as("in order: one conditional update per event").isEqualTo(3);

    assertThat(store.apply(shipped("ord_W", T0.plusSeconds(30)))).isTrue();
    assertThat(updates.getAndSet(0)).as("late: the combined try, the facts, the status, the last event").isEqualTo(4);

    LedgerEntry w = entry(store, "ord_W");
    assertThat(w.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(w.lastEventType()).isEqualTo("NotificationSent");
    assertThat(w.notified()).containsExactly("SHIPPED");
    assertThat(w.amountCents()).isEqualTo(2500);
    assertThat(w.firstSeenAt()).isEqualTo(T0);
  }

  @Test
  void apply_shouldKeepWhenTheLedgerLastAppliedAnEvent_andHowLongAfterItOccurred() {
    DynamoDbLedgerStore store = newStore();

    store.apply(placed("ord_L", T0, 2500, "EUR").recordedAt(T0.plusMillis(2_500)));
    store.apply(authorized("ord_L", T0.plusSeconds(5)).recordedAt(T0.plusSeconds(5).plusMillis(40)));

    LedgerEntry l = entry(store, "ord_L");
    assertThat(l.recordedAt()).isEqualTo(T0.plusSeconds(5).plusMillis(40));
    assertThat(l.recordedLag()).isEqualTo(java.time.Duration.ofMillis(40));
    store.apply(placed("ord_M", T0, 2500, "EUR"));
    assertThat(entry(store, "ord_M").recordedAt()).as("an update without the ledger's time").isNull();
  }

  @Test
  void apply_shouldRecordTheFailureReasonAndAmount_whenTheFirstEventSeenIsThePaymentFailure() {
    DynamoDbLedgerStore store = newStore();

    store.apply(paymentFailed("ord_B", T0.plusSeconds(20), "INSUFFICIENT_FUNDS"));
    store.apply(placed("ord_B", T0, 2500, "EUR"));

    LedgerEntry b = entry(store, "ord_B");
    assertThat(b.status()).isEqualTo(OrderStatus.PAYMENT_FAILED);
    assertThat(b.failureReason()).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(b.lastEventType()).isEqualTo("PaymentFailed");
    assertThat(b.amountCents()).isEqualTo(2500);
    assertThat(b.placedAt()).isEqualTo(T0);
  }

  @Test
  void markStuckReported_shouldApplyOnlyToTheCurrentLastEvent_whenTheOrderMovedOn() {
    DynamoDbLedgerStore store = newStore();
    store.apply(placed("ord_C", T0, 2500, "EUR"));
    store.apply(reserved("ord_C", T0.plusSeconds(1)));

    store.markStuckReported("ord_C", "evt_placed_ord_C");
    assertThat(entry(store, "ord_C").stuckReportedFor()).isNull();
    store.markStuckReported("ord_C", "evt_reserved_ord_C");
    assertThat(entry(store, "ord_C").stuckReportedFor()).isEqualTo("evt_reserved_ord_C");
  }
}
