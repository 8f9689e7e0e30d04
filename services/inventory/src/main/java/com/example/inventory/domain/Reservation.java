package com.example.inventory.domain;

import java.time.Instant;
import java.util.List;

/** The reservation record of one order (table {@code reservations}, key {@code order_id}). */
public record Reservation(String orderId, String reservationId, List<StockLine> lines, Status status, Instant updatedAt) {
  public Reservation {
    lines = List.copyOf(lines);
  }

  /** {@code res_<orderId>}: deterministic, so a retry writes the same record. */
  public static String idFor(String orderId) {
    return "res_" + orderId;
  }

  public enum Status { RESERVED, RELEASED }
}
