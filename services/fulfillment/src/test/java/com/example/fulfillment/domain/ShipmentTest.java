package com.example.fulfillment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShipmentTest {
  @Test
  void trackingNumberFor_shouldBeStableAndDistinct_whenComputedForOrders() {
    assertThat(Shipment.trackingNumberFor("ord_7Hq2mX9pLk")).isEqualTo(Shipment.trackingNumberFor("ord_7Hq2mX9pLk")).matches("LP\\d{10}");
    assertThat(Shipment.trackingNumberFor("ord_7Hq2mX9pLk")).isNotEqualTo(Shipment.trackingNumberFor("ord_7Hq2mX9pLm"));
  }
}
