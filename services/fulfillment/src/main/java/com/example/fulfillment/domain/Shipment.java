package com.example.fulfillment.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * The shipment of one order (table {@code shipments}, key {@code order_id}). Every id is derived
 * from the order id, so a retry builds the same shipment.
 */
public record Shipment(String orderId, String shipmentId, String carrier, String trackingNumber,
    String customerId, String customerEmail, List<PaymentAuthorized.Item> items, Instant createdAt) {

  public static final String CARRIER = "LOCAL-POST";

  public Shipment {
    items = List.copyOf(items);
  }

  public static Shipment forOrder(PaymentAuthorized order, Instant now) {
    return new Shipment(order.orderId(), "shp_" + order.orderId(), CARRIER, trackingNumberFor(order.orderId()),
        order.customerId(), order.customerEmail(), order.items(), now);
  }

  /** {@code LP} and 10 digits from SHA-256 of the order id: the same order always gets the same number. */
  public static String trackingNumberFor(String orderId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(orderId.getBytes(StandardCharsets.UTF_8));
      long n = 0;
      for (int i = 0; i < 8; i++) {
        n = (n << 8) | (digest[i] & 0xff);
      }
      return String.format("LP%010d", Math.floorMod(n, 10_000_000_000L));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
