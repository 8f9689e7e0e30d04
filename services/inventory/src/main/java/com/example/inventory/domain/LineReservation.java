package com.example.inventory.domain;

/** What one conditional stock update did for one (sku, order). */
public sealed interface LineReservation {
  /** The quantity was taken from {@code available} by this call. */
  record Reserved() implements LineReservation {}

  /** The order already held this sku (an earlier attempt reserved it): nothing was taken twice. */
  record AlreadyReserved() implements LineReservation {}

  /** Not enough stock: nothing was taken. */
  record Insufficient(long available) implements LineReservation {}

  /** No stock item for this sku. */
  record UnknownSku() implements LineReservation {}

  default boolean held() {
    return this instanceof Reserved || this instanceof AlreadyReserved;
  }
}
