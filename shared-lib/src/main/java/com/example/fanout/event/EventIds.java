package com.example.fanout.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** Event ids: random for first events, derived from the cause for the events it causes. */
public final class EventIds {
  private static final String PREFIX = "evt_";

  private EventIds() {}

  public static String random() {
    return PREFIX + UUID.randomUUID().toString().replace("-", "");
  }

  /** SHA-256 of cause id, type and key, 128 bits in hex: stable across processes and releases. */
  public static String derived(String causeId, String type, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {causeId, type, key == null ? "" : key}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update(lengthPrefix(bytes.length));
        sha.update(bytes);
      }
      return PREFIX + HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  // Length-prefixing keeps ("ab","c") and ("a","bc") apart.
  private static byte[] lengthPrefix(int length) {
    return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
  }
}
