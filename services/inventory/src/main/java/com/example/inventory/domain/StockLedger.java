package com.example.inventory.domain;

import java.util.OptionalLong;

/**
 * The stock table, one item per sku: {@code available} and the set of order ids holding some of it
 * until their payment is settled or the stock is given back.
 * Every call is one conditional single-item write, safe under concurrency and retries.
 */
public interface StockLedger {
  /** Takes {@code quantity} of {@code sku} for {@code orderId} unless stock is short or the order already holds it. */
  LineReservation reserve(String sku, int quantity, String orderId);

  /**
   * Gives {@code quantity} of {@code sku} back if {@code orderId} holds it.
   *
   * @return true if released now, false if the order did not hold it (already released, or never reserved)
   */
  boolean release(String sku, int quantity, String orderId);

  /**
   * Forgets that {@code orderId} holds some of {@code sku}, keeping the stock taken: its payment is
   * authorised, so nothing can give it back any more and the order id need not stay on the item.
   *
   * @return true if settled now, false if the order did not hold it (already settled or released, or never reserved)
   */
  boolean settle(String sku, String orderId);

  /** What is available of the sku now, empty if the sku is unknown. */
  OptionalLong available(String sku);
}
