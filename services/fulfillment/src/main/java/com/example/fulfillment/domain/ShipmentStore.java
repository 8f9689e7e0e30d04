package com.example.fulfillment.domain;

/** The shipments table. */
public interface ShipmentStore {
  /** Stores the shipment unless the order has one (conditional put); returns the stored one. */
  Shipment recordOnce(Shipment shipment);
}
