package com.example.fanout.ops;

import com.example.fanout.event.EventJson;
import com.example.fanout.tracing.SegmentDocuments;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.TimelineFormat;
import com.example.fanout.tracing.TraceEntity;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.BatchGetTracesResponse;
import software.amazon.awssdk.services.xray.model.GetTraceSummariesResponse;
import software.amazon.awssdk.services.xray.model.Segment;
import software.amazon.awssdk.services.xray.model.Trace;
import software.amazon.awssdk.services.xray.model.TraceSummary;

/**
 * One order's timeline from X-Ray: {@code GetTraceSummaries} with the filter
 * {@code annotation.correlation_id = "<id>"} over the last hours, then {@code BatchGetTraces} (5 ids a
 * call) for every segment of those traces, in the local runtime's table ({@link TimelineFormat}).
 */
final class XRayTimeline {
  private static final int IDS_PER_BATCH = 5;

  private final XRayClient xray;

  XRayTimeline(XRayClient xray) {
    this.xray = xray;
  }

  /** One row per segment or subsegment, by start time; the field names of the local runtime's JSON timeline. */
  record Row(String traceId, String spanId, String parentId, String name, String correlationId, String eventId,
      String eventType, Instant start, Instant end, String outcome, String component, String detail) {}

  List<Row> rows(String correlationId, Duration lookBack) {
    if (correlationId.contains("\"") || correlationId.contains("\\")) {
      throw new OpsException(Fanout.REFUSED, "a correlation id has no quotes or backslashes: " + correlationId);
    }
    Instant end = Instant.now();
    Set<String> traceIds = new LinkedHashSet<>();
    String next = null;
    do {
      String token = next;
      GetTraceSummariesResponse page = xray.getTraceSummaries(b -> b.startTime(end.minus(lookBack)).endTime(end)
          .filterExpression("annotation." + Span.CORRELATION_ID + " = \"" + correlationId + "\"").nextToken(token));
      page.traceSummaries().stream().map(TraceSummary::id).forEach(traceIds::add);
      next = page.nextToken();
    } while (next != null);

    List<Row> rows = new ArrayList<>();
    List<String> ids = List.copyOf(traceIds);
    for (int i = 0; i < ids.size(); i += IDS_PER_BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + IDS_PER_BATCH));
      Map<String, List<JsonNode>> documents = new LinkedHashMap<>();
      String batchNext = null;
      do {
        String token = batchNext;
        BatchGetTracesResponse page = xray.batchGetTraces(b -> b.traceIds(batch).nextToken(token));
        for (Trace trace : page.traces()) {
          for (Segment segment : trace.segments()) {
            documents.computeIfAbsent(trace.id(), k -> new ArrayList<>()).add(EventJson.parse(segment.document()));
          }
        }
        batchNext = page.nextToken();
      } while (batchNext != null);
      documents.forEach((traceId, docs) -> SegmentDocuments.flatten(traceId, docs).forEach(e -> rows.add(row(e, correlationId))));
    }
    rows.sort(Comparator.comparing(Row::start).thenComparing(r -> r.end() == null ? Instant.EPOCH : r.end()));
    return rows;
  }

  String render(String correlationId, List<Row> rows) {
    StringBuilder sb = new StringBuilder(TimelineFormat.header(correlationId, rows.size()));
    if (!rows.isEmpty()) {
      Instant first = rows.getFirst().start();
      rows.forEach(r -> sb.append(TimelineFormat.line(first, r.start(), r.end(), r.component(), r.name(), r.eventType(),
          r.outcome(), r.detail())));
    }
    return sb.toString();
  }

  private static Row row(TraceEntity e, String correlationId) {
    String correlation = e.annotation(Span.CORRELATION_ID);
    return new Row(e.traceId(), e.id(), e.parentId(), e.name(), correlation != null ? correlation : correlationId,
        e.annotation(Span.EVENT_ID), e.annotation(Span.EVENT_TYPE), e.start(), e.end(), TimelineFormat.outcome(e),
        TimelineFormat.component(e), TimelineFormat.detail(e));
  }
}
