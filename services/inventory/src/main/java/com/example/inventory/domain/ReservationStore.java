package com.example.inventory.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The reservations table. */
public interface ReservationStore {
  Optional<Reservation> find(String orderId);

  /** Writes the RESERVED record unless the order's reservation was already RELEASED (then returns false). */
  boolean recordReserved(Reservation reservation);

  /** Marks the order's reservation RELEASED (creates the record if it is missing). */
  void markReleased(String orderId, String reservationId, List<StockLine> lines, Instant at);
}
