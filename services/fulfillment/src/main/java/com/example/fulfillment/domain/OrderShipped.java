package com.example.fulfillment.domain;

/** The data of OrderShipped v1. */
public record OrderShipped(String orderId, String shipmentId, String carrier, String trackingNumber,
    String customerId, String customerEmail) {

  public static OrderShipped of(Shipment shipment) {
    return new OrderShipped(shipment.orderId(), shipment.shipmentId(), shipment.carrier(), shipment.trackingNumber(),
        shipment.customerId(), shipment.customerEmail());
  }
}
