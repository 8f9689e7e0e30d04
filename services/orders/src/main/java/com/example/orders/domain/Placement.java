package com.example.orders.domain;

/** What placing an order did. */
public sealed interface Placement {
  Order order();

  /** A new order was written together with its OrderPlaced event. */
  record Created(Order order) implements Placement {}

  /** The same request was placed before (same idempotency key or import line, same body): the original order. */
  record Replayed(Order order) implements Placement {}

  /** The key was used before for a different body: the order that key created. */
  record KeyReused(Order order) implements Placement {}
}
