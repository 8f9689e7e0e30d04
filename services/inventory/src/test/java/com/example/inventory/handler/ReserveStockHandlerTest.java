package com.example.inventory.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.testing.ConsumerHarness;
import com.example.inventory.domain.InMemoryStock;
import com.example.inventory.domain.StockReservations;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReserveStockHandlerTest {
  private final InMemoryStock stock = new InMemoryStock().with("SKU-RED-MUG", 3).with("SKU-SOLD-OUT", 0);
  private final ConsumerHarness<ReserveStockHandler> harness = new ConsumerHarness<>("inventory", "reserve-stock",
      runtime -> new ReserveStockHandler(runtime, new StockReservations(stock, stock, Clock.systemUTC())));

  @Test
  void orderPlaced_shouldEmitInventoryReservedWithTheOrder_whenStockSuffices() {
    Envelope order = ConsumerHarness.fixture("OrderPlaced.json");

    assertThat(harness.deliver(order)).isEmpty();

    assertThat(harness.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("InventoryReserved");
      assertThat(e.source()).isEqualTo("com.example.inventory");
      assertThat(e.id()).isEqualTo(EventIds.derived(order.id(), "InventoryReserved", ""));
      assertThat(e.causationId()).isEqualTo(order.id());
      assertThat(e.correlationId()).isEqualTo(order.correlationId());
      assertThat(e.data().get("reservationId").asText()).isEqualTo("res_ord_7Hq2mX9pLk");
      assertThat(e.data().get("amountCents").asLong()).isEqualTo(2500);
      assertThat(e.data().get("paymentToken").asText()).isEqualTo("tok_visa_ok");
      assertThat(e.data().get("customerEmail").asText()).isEqualTo("ada@example.com");
      assertThat(e.data().get("items").get(0).get("quantity").asInt()).isEqualTo(2);
    });
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(1);
  }

  @Test
  void orderPlaced_shouldEmitOutOfStockAndHoldNothing_whenALineLacksStock() {
    Envelope order = ConsumerHarness.fixture("OrderPlaced.json", Map.of(
        "orderId", "ord_SoldOut0001",
        "items", List.of(Map.of("sku", "SKU-RED-MUG", "quantity", 1, "unitPriceCents", 1250),
            Map.of("sku", "SKU-SOLD-OUT", "quantity", 1, "unitPriceCents", 1250))));

    assertThat(harness.deliver(order)).isEmpty();

    assertThat(harness.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("OutOfStock");
      assertThat(e.data().get("unavailable").get(0).get("sku").asText()).isEqualTo("SKU-SOLD-OUT");
      assertThat(e.data().get("unavailable").get(0).get("available").asInt()).isZero();
    });
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(3);
  }

  @Test
  void orderPlaced_shouldEmitTheSameEventId_whenDeliveredTwice() {
    Envelope order = ConsumerHarness.fixture("OrderPlaced.json");

    harness.deliver(order);
    harness.deliver(order);

    assertThat(harness.published).hasSize(2);
    assertThat(harness.published.get(0).id()).isEqualTo(harness.published.get(1).id());
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(1);
  }
}
