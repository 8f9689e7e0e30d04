package com.example.inventory.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.testing.LocalAws;
import com.example.inventory.domain.InventoryReserved;
import com.example.inventory.domain.LineReservation;
import com.example.inventory.domain.OrderPlaced;
import com.example.inventory.domain.OrderPlaced.OrderLine;
import com.example.inventory.domain.PaymentAuthorized;
import com.example.inventory.domain.PaymentFailed;
import com.example.inventory.domain.Reservation;
import com.example.inventory.domain.ReservationOutcome;
import com.example.inventory.domain.StockLine;
import com.example.inventory.domain.StockReservations;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The conditional writes against a real DynamoDB implementation (dynalite). */
class DynamoDbStockLedgerTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
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

  private static String stockTable(Map<String, Long> stock) {
    String table = LocalAws.createTable(dynamo, "test-inventory-stock-" + TABLES.incrementAndGet(), "sku");
    new StockSeeder(dynamo, table).seed(stock);
    return table;
  }

  @Test
  void reserve_shouldTakeOnceAndTellReasonsApart_whenCalledRepeatedly() {
    DynamoDbStockLedger ledger = new DynamoDbStockLedger(dynamo, stockTable(Map.of("SKU-RED-MUG", 5L)));

    assertThat(ledger.reserve("SKU-RED-MUG", 3, "ord_11111111")).isInstanceOf(LineReservation.Reserved.class);
    assertThat(ledger.reserve("SKU-RED-MUG", 3, "ord_11111111")).isInstanceOf(LineReservation.AlreadyReserved.class);
    assertThat(ledger.reserve("SKU-RED-MUG", 3, "ord_22222222")).isEqualTo(new LineReservation.Insufficient(2));
    assertThat(ledger.reserve("SKU-NOPE", 1, "ord_22222222")).isInstanceOf(LineReservation.UnknownSku.class);
    assertThat(ledger.available("SKU-RED-MUG")).hasValue(2);
    assertThat(ledger.available("SKU-NOPE")).isEmpty();
  }

  @Test
  void release_shouldGiveBackOnce_whenRepeated() {
    DynamoDbStockLedger ledger = new DynamoDbStockLedger(dynamo, stockTable(Map.of("SKU-RED-MUG", 5L)));
    ledger.reserve("SKU-RED-MUG", 3, "ord_11111111");
    ledger.reserve("SKU-RED-MUG", 1, "ord_33333333");

    assertThat(ledger.release("SKU-RED-MUG", 3, "ord_11111111")).isTrue();
    assertThat(ledger.release("SKU-RED-MUG", 3, "ord_11111111")).isFalse();
    assertThat(ledger.release("SKU-RED-MUG", 3, "ord_44444444")).isFalse();
    assertThat(ledger.available("SKU-RED-MUG")).hasValue(4);
  }

  @Test
  void settle_shouldDropTheOrderIdAndKeepTheStockTaken_whenRepeated() {
    String table = stockTable(Map.of("SKU-RED-MUG", 5L));
    DynamoDbStockLedger ledger = new DynamoDbStockLedger(dynamo, table);
    ledger.reserve("SKU-RED-MUG", 3, "ord_11111111");
    ledger.reserve("SKU-RED-MUG", 1, "ord_33333333");

    assertThat(ledger.settle("SKU-RED-MUG", "ord_11111111")).isTrue();
    assertThat(ledger.settle("SKU-RED-MUG", "ord_11111111")).isFalse();
    assertThat(ledger.release("SKU-RED-MUG", 3, "ord_11111111")).as("a settled line has nothing to give back").isFalse();
    assertThat(ledger.settle("SKU-NOPE", "ord_11111111")).isFalse();

    assertThat(ledger.available("SKU-RED-MUG")).hasValue(1);
    assertThat(stockItem(table, "SKU-RED-MUG").get("reserved_orders").ss()).containsExactly("ord_33333333");
    assertThat(ledger.available("SKU-NOPE")).as("settling an unknown sku creates no item").isEmpty();
  }

  @Test
  void reservations_shouldLeaveNoOrderOnTheStockItem_whenEveryOrderIsSettledOrReleased() {
    String table = stockTable(Map.of("SKU-RED-MUG", 100L));
    String reservationsTable = LocalAws.createTable(dynamo, "test-inventory-reservations-" + TABLES.incrementAndGet(), "order_id");
    StockReservations reservations = new StockReservations(new DynamoDbStockLedger(dynamo, table),
        new DynamoDbReservationStore(dynamo, reservationsTable), Clock.systemUTC());
    List<StockLine> lines = List.of(new StockLine("SKU-RED-MUG", 1));

    for (int i = 0; i < 20; i++) {
      String orderId = String.format("ord_settle%04d", i);
      reservations.reserve(new OrderPlaced(orderId, "cus_1", "a@example.com", "web",
          List.of(new OrderLine("SKU-RED-MUG", 1, 1000)), 1000, "EUR", "tok_ok"));
      if (i % 4 == 0) {
        reservations.release(new PaymentFailed(orderId, "DECLINED", Reservation.idFor(orderId), "cus_1", "a@example.com",
            lines, 1000, "EUR"));
      } else {
        reservations.settle(new PaymentAuthorized(orderId, lines));
      }
    }

    assertThat(stockItem(table, "SKU-RED-MUG")).doesNotContainKey("reserved_orders");
    assertThat(new DynamoDbStockLedger(dynamo, table).available("SKU-RED-MUG")).hasValue(100 - 15);
  }

  private static Map<String, AttributeValue> stockItem(String table, String sku) {
    return dynamo.getItem(r -> r.tableName(table).key(Map.of("sku", AttributeValue.fromS(sku))).consistentRead(true)).item();
  }

  @Test
  void reserve_shouldNeverOversell_when200OrdersRaceForLimitedStock() throws Exception {
    long initial = 50;
    String table = stockTable(Map.of("SKU-RARE-VASE", initial, "SKU-RED-MUG", 1_000L));
    DynamoDbStockLedger ledger = new DynamoDbStockLedger(dynamo, table);
    String reservationsTable = LocalAws.createTable(dynamo, "test-inventory-reservations-" + TABLES.incrementAndGet(), "order_id");
    StockReservations reservations = new StockReservations(ledger, new DynamoDbReservationStore(dynamo, reservationsTable), Clock.systemUTC());

    int orders = 200;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ReservationOutcome>> results = new ArrayList<>();
    try {
      for (int i = 0; i < orders; i++) {
        String orderId = String.format("ord_race%05d", i);
        // Each order wants one vase (scarce) and two mugs (plenty): an order that loses the vase must give its mugs back.
        OrderPlaced order = new OrderPlaced(orderId, "cus_" + i, "c" + i + "@example.com", "web",
            List.of(new OrderLine("SKU-RED-MUG", 2, 1000), new OrderLine("SKU-RARE-VASE", 1, 9000)), 11_000, "EUR", "tok_ok");
        Callable<ReservationOutcome> task = () -> {
          go.await();
          return reservations.reserve(order);
        };
        results.add(pool.submit(task));
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).as("all reservations finished in time").isTrue();
    } finally {
      pool.shutdownNow();
    }

    List<InventoryReserved> reserved = new ArrayList<>();
    int rejected = 0;
    for (Future<ReservationOutcome> f : results) {
      switch (f.get()) {
        case ReservationOutcome.Reserved r -> reserved.add(r.event());
        case ReservationOutcome.Rejected r -> rejected++;
        case ReservationOutcome.AlreadyReleased r -> throw new AssertionError("no order was released");
      }
    }
    Map<String, AttributeValue> vase = dynamo.getItem(r -> r.tableName(table)
        .key(Map.of("sku", AttributeValue.fromS("SKU-RARE-VASE"))).consistentRead(true)).item();
    long availableVases = Long.parseLong(vase.get("available").n());
    assertThat(availableVases).isGreaterThanOrEqualTo(0);
    assertThat(reserved).hasSize((int) initial);
    assertThat(rejected).isEqualTo(orders - (int) initial);
    assertThat(reserved.size() + availableVases).isEqualTo(initial);
    assertThat(vase.get("reserved_orders").ss()).hasSize((int) initial)
        .containsExactlyInAnyOrderElementsOf(reserved.stream().map(InventoryReserved::orderId).toList());
    assertThat(ledger.available("SKU-RED-MUG")).hasValue(1_000 - 2 * initial);
  }

  @Test
  void reservations_shouldRecordAndRelease_whenPaymentFails() {
    String table = stockTable(Map.of("SKU-BLUE-MUG", 10L));
    String reservationsTable = LocalAws.createTable(dynamo, "test-inventory-reservations-" + TABLES.incrementAndGet(), "order_id");
    DynamoDbReservationStore store = new DynamoDbReservationStore(dynamo, reservationsTable);
    StockReservations reservations = new StockReservations(new DynamoDbStockLedger(dynamo, table), store, Clock.systemUTC());
    OrderPlaced order = new OrderPlaced("ord_55555555", "cus_1", "a@example.com", "web",
        List.of(new OrderLine("SKU-BLUE-MUG", 4, 1000)), 4000, "EUR", "tok_decline");

    assertThat(reservations.reserve(order)).isInstanceOf(ReservationOutcome.Reserved.class);
    assertThat(store.find("ord_55555555")).get().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Reservation.Status.RESERVED);
      assertThat(r.lines()).containsExactly(new StockLine("SKU-BLUE-MUG", 4));
    });
    reservations.release(new PaymentFailed("ord_55555555", "DECLINED", "res_ord_55555555", "cus_1", "a@example.com",
        List.of(new StockLine("SKU-BLUE-MUG", 4)), 4000, "EUR"));

    assertThat(store.find("ord_55555555")).get().extracting(Reservation::status).isEqualTo(Reservation.Status.RELEASED);
    assertThat(new DynamoDbStockLedger(dynamo, table).available("SKU-BLUE-MUG")).hasValue(10);
    assertThat(reservations.reserve(order)).isInstanceOf(ReservationOutcome.AlreadyReleased.class);
  }

  @Test
  void seed_shouldLoadTheLocalStockFileAndKeepLiveCounts_whenRunTwice() {
    String table = LocalAws.createTable(dynamo, "test-inventory-stock-" + TABLES.incrementAndGet(), "sku");
    StockSeeder seeder = new StockSeeder(dynamo, table);
    Path file = Path.of("local", "stock.json");

    int created = seeder.seed(file);
    new DynamoDbStockLedger(dynamo, table).reserve("SKU-RARE-VASE", 1, "ord_66666666");
    int again = seeder.seed(file);

    assertThat(created).isEqualTo(5);
    assertThat(again).isZero();
    DynamoDbStockLedger ledger = new DynamoDbStockLedger(dynamo, table);
    assertThat(ledger.available("SKU-RED-MUG")).hasValue(100);
    assertThat(ledger.available("SKU-RARE-VASE")).hasValue(0);
    assertThat(ledger.available("SKU-SOLD-OUT")).hasValue(0);
  }
}
