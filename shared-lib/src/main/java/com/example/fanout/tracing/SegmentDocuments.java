package com.example.fanout.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * X-Ray segment documents (what the SDKs send to the daemon and what {@code BatchGetTraces}
 * returns) read into {@link TraceEntity} rows; times are epoch seconds with a fraction.
 */
public final class SegmentDocuments {
  private SegmentDocuments() {}

  /** Every segment and subsegment of one trace's documents, by start time. */
  public static List<TraceEntity> flatten(String traceId, List<? extends JsonNode> documents) {
    List<TraceEntity> out = new ArrayList<>();
    for (JsonNode document : documents) {
      flatten(document, traceId, text(document, "parent_id"), !"subsegment".equals(text(document, "type")), out);
    }
    out.sort(Comparator.comparing(TraceEntity::start));
    return out;
  }

  private static void flatten(JsonNode node, String traceId, String parentId, boolean segment, List<TraceEntity> out) {
    String id = text(node, "id");
    Map<String, String> annotations = new LinkedHashMap<>();
    node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    String origin = segment ? text(node, "origin") : text(node, "namespace");
    Instant end = node.has("end_time") && !node.path("in_progress").asBoolean(false) ? instant(node.get("end_time")) : null;
    out.add(new TraceEntity(traceId, id, parentId, text(node, "name"), segment, origin, instant(node.get("start_time")), end,
        node.path("fault").asBoolean(false), node.path("error").asBoolean(false), Map.copyOf(annotations)));
    for (JsonNode child : node.path("subsegments")) {
      flatten(child, traceId, id, false, out);
    }
  }

  public static Instant instant(JsonNode epochSeconds) {
    double s = epochSeconds == null ? 0 : epochSeconds.asDouble();
    long whole = (long) Math.floor(s);
    return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1_000_000_000L));
  }

  public static double seconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
