package com.example.inventory.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.testing.ConsumerHarness;
import com.example.inventory.domain.InMemoryStock;
import com.example.inventory.domain.StockReservations;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ReleaseStockHandlerTest {
  private final InMemoryStock stock = new InMemoryStock().with("SKU-RED-MUG", 3);
  private final StockReservations reservations = new StockReservations(stock, stock, Clock.systemUTC());
  private final ConsumerHarness<ReleaseStockHandler> harness = new ConsumerHarness<>("inventory", "release-stock",
      runtime -> new ReleaseStockHandler(runtime, reservations));

  @Test
  void paymentFailed_shouldReturnTheStockAndEmitInventoryReleased_whenTheOrderHeldIt() {
    stock.reserve("SKU-RED-MUG", 2, "ord_7Hq2mX9pLk");
    Envelope failed = ConsumerHarness.fixture("PaymentFailed.json");

    assertThat(harness.deliver(failed)).isEmpty();

    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(3);
    assertThat(harness.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("InventoryReleased");
      assertThat(e.data().get("reservationId").asText()).isEqualTo("res_ord_7Hq2mX9pLk");
      assertThat(e.data().get("items").get(0).get("sku").asText()).isEqualTo("SKU-RED-MUG");
    });
  }

  @Test
  void paymentFailed_shouldNotReturnStockTwice_whenRedelivered() {
    stock.reserve("SKU-RED-MUG", 2, "ord_7Hq2mX9pLk");
    Envelope failed = ConsumerHarness.fixture("PaymentFailed.json");

    harness.deliver(failed);
    harness.deliver(failed);

    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(3);
  }

  @Test
  void paymentAuthorized_shouldKeepTheStockTakenAndForgetTheOrder_whenTheOrderHeldIt() {
    stock.reserve("SKU-RED-MUG", 2, "ord_7Hq2mX9pLk");
    Envelope authorized = ConsumerHarness.fixture("PaymentAuthorized.json");

    assertThat(harness.deliver(authorized)).isEmpty();
    assertThat(harness.deliver(authorized)).isEmpty();

    assertThat(stock.holds("SKU-RED-MUG", "ord_7Hq2mX9pLk")).isFalse();
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(1);
    assertThat(harness.published).isEmpty();
  }
}
