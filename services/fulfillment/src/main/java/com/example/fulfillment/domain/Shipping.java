package com.example.fulfillment.domain;

import java.time.Clock;
import java.util.Objects;

/** Creates one shipment per paid order; a duplicate gets the shipment already created. */
public final class Shipping {
  private final ShipmentStore shipments;
  private final Clock clock;

  public Shipping(ShipmentStore shipments, Clock clock) {
    this.shipments = Objects.requireNonNull(shipments, "shipments");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public OrderShipped ship(PaymentAuthorized order) {
    return OrderShipped.of(shipments.recordOnce(Shipment.forOrder(order, clock.instant())));
  }
}
