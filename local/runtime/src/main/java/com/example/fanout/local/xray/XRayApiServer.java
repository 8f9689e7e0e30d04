package com.example.fanout.local.xray;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.example.fanout.tracing.SegmentDocuments;
import com.example.fanout.tracing.TraceEntity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two X-Ray API calls on-call's {@code fanout timeline} makes, served from the {@link TraceStore}
 * over X-Ray's REST protocol (JSON over HTTP): {@code GetTraceSummaries} ({@code POST /TraceSummaries},
 * an annotation filter and a time range) and {@code BatchGetTraces} ({@code POST /Traces}, at most 5
 * trace ids, each trace's segment documents with their independent subsegments nested). Point the
 * SDK's {@code XRayClient} or the AWS CLI at {@link #endpoint()}.
 */
public final class XRayApiServer implements AutoCloseable {
  static final int MAX_TRACE_IDS = 5;
  /** The filters the stand-in answers: {@code annotation.key = "value"} (X-Ray's filter expression language has more). */
  private static final Pattern ANNOTATION_EQUALS =
      Pattern.compile("\\s*annotation\\.([A-Za-z0-9_]+)\\s*=\\s*\"([^\"]*)\"\\s*");

  private final TraceStore store;
  private final HttpServer server;

  public XRayApiServer(int port, TraceStore store) {
    this.store = store;
    this.server = HttpExchanges.server(port);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        throw new InvalidRequest("X-Ray's API takes POST");
      }
      JsonNode request = EventJson.parse(new String(HttpExchanges.body(exchange), StandardCharsets.UTF_8));
      ObjectNode response = switch (exchange.getRequestURI().getPath()) {
        case "/TraceSummaries" -> traceSummaries(request);
        case "/Traces" -> traces(request);
        default -> throw new InvalidRequest("the local X-Ray API serves GetTraceSummaries and BatchGetTraces, not "
            + exchange.getRequestURI().getPath());
      };
      HttpExchanges.send(exchange, 200, "application/json", EventJson.write(response));
    } catch (InvalidRequest | IllegalArgumentException e) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "InvalidRequestException");
      ObjectNode error = EventJson.mapper().createObjectNode().put("__type", "InvalidRequestException").put("Message", e.getMessage());
      HttpExchanges.send(exchange, 400, "application/json", EventJson.write(error));
    }
  }

  private ObjectNode traceSummaries(JsonNode request) {
    String filter = request.path("FilterExpression").asText(null);
    if (filter == null) {
      throw new InvalidRequest("FilterExpression is required by the local X-Ray API (annotation.<key> = \"<value>\")");
    }
    Matcher m = ANNOTATION_EQUALS.matcher(filter);
    if (!m.matches()) {
      throw new InvalidRequest("the local X-Ray API answers filters of the form annotation.<key> = \"<value>\", not: " + filter);
    }
    if (!request.hasNonNull("StartTime") || !request.hasNonNull("EndTime")) {
      throw new InvalidRequest("StartTime and EndTime are required");
    }
    Instant from = SegmentDocuments.instant(request.get("StartTime"));
    Instant to = SegmentDocuments.instant(request.get("EndTime"));
    ObjectNode response = EventJson.mapper().createObjectNode();
    ArrayNode summaries = response.putArray("TraceSummaries");
    List<String> ids = store.tracesAnnotated(m.group(1), m.group(2));
    for (String id : ids) {
      List<TraceEntity> trace = store.trace(id);
      if (trace.isEmpty()) {
        continue;
      }
      Instant start = trace.getFirst().start();
      if (start.isBefore(from) || start.isAfter(to)) {
        continue;
      }
      Instant end = trace.stream().map(e -> e.end() != null ? e.end() : e.start()).max(Comparator.naturalOrder()).orElse(start);
      ObjectNode summary = summaries.addObject();
      summary.put("Id", id);
      summary.put("StartTime", SegmentDocuments.seconds(start));
      summary.put("Duration", (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
      summary.put("HasFault", trace.stream().anyMatch(TraceEntity::fault));
      summary.put("HasError", trace.stream().anyMatch(TraceEntity::error));
      summary.put("IsPartial", trace.stream().anyMatch(TraceEntity::inProgress));
      summary.putObject("Annotations").putArray(m.group(1)).addObject().putObject("AnnotationValue").put("StringValue", m.group(2));
    }
    response.put("ApproximateTime", SegmentDocuments.seconds(Instant.now()));
    response.put("TracesProcessedCount", ids.size());
    return response;
  }

  private ObjectNode traces(JsonNode request) {
    JsonNode ids = request.path("TraceIds");
    if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_TRACE_IDS) {
      throw new InvalidRequest("TraceIds takes 1 to " + MAX_TRACE_IDS + " trace ids");
    }
    ObjectNode response = EventJson.mapper().createObjectNode();
    ArrayNode traces = response.putArray("Traces");
    ArrayNode unprocessed = response.putArray("UnprocessedTraceIds");
    for (JsonNode idNode : ids) {
      String id = idNode.asText();
      List<ObjectNode> segments = store.assembledSegments(id);
      if (segments.isEmpty()) {
        unprocessed.add(id);
        continue;
      }
      ObjectNode trace = traces.addObject();
      trace.put("Id", id);
      trace.put("LimitExceeded", false);
      ArrayNode out = trace.putArray("Segments");
      for (ObjectNode segment : segments) {
        out.addObject().put("Id", segment.path("id").asText()).put("Document", EventJson.write(segment));
      }
    }
    return response;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static final class InvalidRequest extends RuntimeException {
    InvalidRequest(String message) {
      super(message);
    }
  }
}
