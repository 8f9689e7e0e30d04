package com.example.orders.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Order ids: {@code ord_} and 20 letters or digits (about 119 bits). Random for a POST without an
 * {@code Idempotency-Key}; derived from a hash otherwise, so a retry lands on the same item and the
 * conditional write tells a replay from a new order.
 */
public final class OrderIds {
  public static final String PREFIX = "ord_";
  public static final int LENGTH = 20;
  /** What an order id may look like anywhere in the platform (the schemas' pattern). */
  public static final Pattern VALID = Pattern.compile("^ord_[A-Za-z0-9]{8,40}$");

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private OrderIds() {}

  public static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return encode(bytes);
  }

  /** The order a POST with this {@code Idempotency-Key} creates. */
  public static String fromIdempotencyKey(String key) {
    return derived("idempotency-key", key);
  }

  /**
   * The order a customer's POST with this {@code Idempotency-Key} creates: keys are per customer,
   * so two customers who pick the same key neither collide nor learn of each other's orders.
   */
  public static String fromIdempotencyKey(String customerId, String key) {
    return derived("idempotency-key", customerId, key);
  }

  /** The order one line of an import file creates: re-processing the object creates nothing twice. */
  public static String fromImportLine(String bucket, String key, long lineNumber) {
    return derived("import", bucket, key, Long.toString(lineNumber));
  }

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  private static String derived(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        sha.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        sha.update(b);
      }
      return encode(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  // 20 base-62 digits from 32 bytes; the modulo bias of one byte per digit is irrelevant for ids.
  private static String encode(byte[] bytes) {
    StringBuilder id = new StringBuilder(PREFIX.length() + LENGTH).append(PREFIX);
    for (int i = 0; i < LENGTH; i++) {
      id.append(ALPHABET[(bytes[i] & 0xff) % ALPHABET.length]);
    }
    return id.toString();
  }
}
