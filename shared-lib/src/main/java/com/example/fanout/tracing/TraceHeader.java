package com.example.fanout.tracing;

import java.util.Optional;

/**
 * The X-Ray trace header, {@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1},
 * as SQS carries it in {@code AWSTraceHeader} and EventBridge takes it in {@code TraceHeader}.
 *
 * @param parent  id of the span that caused this work, or null
 * @param sampled null if the header leaves the decision to the receiver
 */
public record TraceHeader(String root, String parent, Boolean sampled) {
  public static Optional<TraceHeader> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String root = null;
    String parent = null;
    Boolean sampled = null;
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      switch (key) {
        case "Root" -> root = value;
        case "Parent" -> parent = value;
        case "Sampled" -> sampled = "1".equals(value) ? Boolean.TRUE : "0".equals(value) ? Boolean.FALSE : null;
        default -> { }
      }
    }
    return root == null ? Optional.empty() : Optional.of(new TraceHeader(root, parent, sampled));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Root=").append(root);
    if (parent != null) {
      sb.append(";Parent=").append(parent);
    }
    if (sampled != null) {
      sb.append(";Sampled=").append(sampled ? '1' : '0');
    }
    return sb.toString();
  }
}
