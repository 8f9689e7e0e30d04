package com.example.inventory.domain;

/** What {@link StockReservations#reserve} decided for one order. */
public sealed interface ReservationOutcome {
  /** Every line is held for the order: emit InventoryReserved. */
  record Reserved(InventoryReserved event) implements ReservationOutcome {}

  /** At least one line lacked stock; whatever this order held was given back: emit OutOfStock. */
  record Rejected(OutOfStock event) implements ReservationOutcome {}

  /**
   * The order's reservation was already released (payment failed): a late duplicate of OrderPlaced
   * must not take the stock again. Nothing to emit.
   */
  record AlreadyReleased(String orderId) implements ReservationOutcome {}
}
