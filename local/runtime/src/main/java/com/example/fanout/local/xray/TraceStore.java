package com.example.fanout.local.xray;

import com.example.fanout.event.EventJson;
import com.example.fanout.tracing.SegmentDocuments;
import com.example.fanout.tracing.TraceEntity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The traces X-Ray would hold: every segment document received (from the daemon stand-in or from the
 * runtime's own AWS-service segments), kept by trace id. A document replaces an earlier one with the
 * same id unless that one is complete and the new one is still in progress (an in-progress segment
 * sent before its end). Independent subsegments ({@code "type":"subsegment"}) are kept beside the
 * segments and joined to their parents when a trace is read.
 */
public final class TraceStore {
  private static final int MAX_TRACES = 50_000;

  private final Map<String, Map<String, ObjectNode>> traces = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  /** {@code key=value} of every annotation to the traces holding it, so a lookup does not scan every trace. */
  private final Map<String, Set<String>> annotated = new ConcurrentHashMap<>();

  /** Takes one segment document; refuses one without the fields X-Ray requires. */
  public void put(ObjectNode document) {
    String traceId = text(document, "trace_id");
    String id = text(document, "id");
    if (traceId == null || id == null || text(document, "name") == null || !document.has("start_time")) {
      throw new IllegalArgumentException("a segment document needs name, id, trace_id and start_time: " + document);
    }
    if ("subsegment".equals(text(document, "type")) && text(document, "parent_id") == null) {
      throw new IllegalArgumentException("an independent subsegment needs a parent_id: " + document);
    }
    if (!document.path("in_progress").asBoolean(false) && !document.has("end_time")) {
      throw new IllegalArgumentException("a segment document needs end_time or in_progress: " + document);
    }
    Map<String, ObjectNode> trace = traces.computeIfAbsent(traceId, t -> {
      firstSeen.put(t, System.nanoTime());
      evictIfFull();
      return new LinkedHashMap<>();
    });
    synchronized (trace) {
      ObjectNode earlier = trace.get(id);
      boolean staleUpdate = earlier != null && !earlier.path("in_progress").asBoolean(false)
          && document.path("in_progress").asBoolean(false);
      if (!staleUpdate) {
        trace.put(id, document);
      }
    }
    indexAnnotations(document, traceId);
  }

  private void indexAnnotations(JsonNode node, String traceId) {
    node.path("annotations").fields().forEachRemaining(e ->
        annotated.computeIfAbsent(e.getKey() + "=" + e.getValue().asText(), k -> ConcurrentHashMap.newKeySet()).add(traceId));
    for (JsonNode child : node.path("subsegments")) {
      indexAnnotations(child, traceId);
    }
  }

  private void evictIfFull() {
    if (traces.size() > MAX_TRACES) {
      firstSeen.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(oldest -> {
        traces.remove(oldest.getKey());
        firstSeen.remove(oldest.getKey());
        annotated.values().forEach(ids -> ids.remove(oldest.getKey()));
      });
    }
  }

  public Set<String> traceIds() {
    return Set.copyOf(traces.keySet());
  }

  /** Every segment and subsegment of one trace, by start time. */
  public List<TraceEntity> trace(String traceId) {
    return SegmentDocuments.flatten(traceId, documents(traceId));
  }

  /** The ids of the traces holding an entity annotated {@code key = value}, oldest first. */
  public List<String> tracesAnnotated(String key, String value) {
    return annotated.getOrDefault(key + "=" + value, Set.of()).stream()
        .filter(traces::containsKey)
        .sorted(Comparator.comparing(t -> firstSeen.getOrDefault(t, 0L)))
        .toList();
  }

  /**
   * One trace's segments as BatchGetTraces returns them: each segment's document with the independent
   * subsegments that belong under it put in place, as X-Ray assembles them.
   */
  public List<ObjectNode> assembledSegments(String traceId) {
    List<ObjectNode> docs = documents(traceId);
    Map<String, ObjectNode> byId = new LinkedHashMap<>();
    List<ObjectNode> segments = new ArrayList<>();
    List<ObjectNode> independent = new ArrayList<>();
    for (ObjectNode d : docs) {
      ObjectNode copy = d.deepCopy();
      (("subsegment".equals(text(copy, "type"))) ? independent : segments).add(copy);
    }
    segments.forEach(s -> index(s, byId));
    independent.forEach(s -> index(s, byId));
    List<ObjectNode> orphans = new ArrayList<>();
    for (ObjectNode sub : independent) {
      ObjectNode parent = byId.get(text(sub, "parent_id"));
      if (parent == null) {
        orphans.add(sub);
        continue;
      }
      sub.remove("type");
      sub.remove("trace_id");
      sub.remove("parent_id");
      ArrayNode children = parent.has("subsegments") ? (ArrayNode) parent.get("subsegments") : parent.putArray("subsegments");
      children.add(sub);
    }
    List<ObjectNode> out = new ArrayList<>(segments);
    out.addAll(orphans);
    return out;
  }

  private static void index(ObjectNode node, Map<String, ObjectNode> byId) {
    byId.put(text(node, "id"), node);
    for (JsonNode child : node.path("subsegments")) {
      if (child instanceof ObjectNode o) {
        index(o, byId);
      }
    }
  }

  private List<ObjectNode> documents(String traceId) {
    Map<String, ObjectNode> trace = traces.get(traceId);
    if (trace == null) {
      return List.of();
    }
    synchronized (trace) {
      return List.copyOf(trace.values());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** For the daemon: one document as text. */
  static ObjectNode parseDocument(String json) {
    JsonNode node = EventJson.parse(json);
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalArgumentException("a segment document is a JSON object: " + json);
    }
    return o;
  }
}
