package com.example.fulfillment.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.testing.ConsumerHarness;
import com.example.fulfillment.domain.Shipment;
import com.example.fulfillment.domain.ShipmentStore;
import com.example.fulfillment.domain.Shipping;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ShipOrderHandlerTest {
  private final Map<String, Shipment> stored = new ConcurrentHashMap<>();
  private final ShipmentStore store = shipment -> {
    Shipment previous = stored.putIfAbsent(shipment.orderId(), shipment);
    return previous != null ? previous : shipment;
  };
  private final ConsumerHarness<ShipOrderHandler> harness = new ConsumerHarness<>("fulfillment", "ship-order",
      runtime -> new ShipOrderHandler(runtime, new Shipping(store, Clock.systemUTC())));

  @Test
  void paymentAuthorized_shouldCreateTheShipmentAndEmitOrderShipped_whenFirstDelivered() {
    Envelope paid = ConsumerHarness.fixture("PaymentAuthorized.json");

    assertThat(harness.deliver(paid)).isEmpty();

    assertThat(harness.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("OrderShipped");
      assertThat(e.source()).isEqualTo("com.example.fulfillment");
      assertThat(e.data().get("shipmentId").asText()).isEqualTo("shp_ord_7Hq2mX9pLk");
      assertThat(e.data().get("carrier").asText()).isEqualTo("LOCAL-POST");
      assertThat(e.data().get("trackingNumber").asText()).isEqualTo(Shipment.trackingNumberFor("ord_7Hq2mX9pLk")).matches("LP\\d{10}");
      assertThat(e.data().get("customerEmail").asText()).isEqualTo("ada@example.com");
    });
    assertThat(stored).containsKey("ord_7Hq2mX9pLk");
  }

  @Test
  void paymentAuthorized_shouldEmitTheSameShipmentAndEventId_whenRedelivered() {
    Envelope paid = ConsumerHarness.fixture("PaymentAuthorized.json");

    harness.deliver(paid);
    harness.deliver(paid);

    assertThat(harness.published).hasSize(2);
    assertThat(harness.published.get(1).id()).isEqualTo(harness.published.get(0).id());
    assertThat(harness.published.get(1).data()).isEqualTo(harness.published.get(0).data());
    assertThat(stored).hasSize(1);
  }
}
