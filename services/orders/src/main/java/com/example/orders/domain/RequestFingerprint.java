package com.example.orders.domain;

import com.example.fanout.event.EventJson;
import com.example.fanout.event.Sha256;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * SHA-256 of a request body in canonical form (object keys sorted, no whitespace), so the same
 * order sent again with its fields in another order or another layout counts as the same body.
 */
public final class RequestFingerprint {
  private RequestFingerprint() {}

  public static String of(JsonNode body) {
    return "sha256:" + Sha256.hex(EventJson.canonical(body));
  }
}
