package com.example.fanout.local.xray;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf or JSON), standing in for the
 * collector that turns OpenTelemetry spans into X-Ray segments (the ADOT Lambda layer, or X-Ray's own
 * OTLP endpoint): each span becomes a segment document in the {@link TraceStore}, trace id in X-Ray's
 * form, server and consumer spans as segments, the others as independent subsegments of their
 * parent (an AWS SDK call's as an {@code aws} subsegment), attributes X-Ray can index as annotations,
 * an error status as a fault.
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final Pattern ANNOTATION_KEY = Pattern.compile("[A-Za-z0-9_]{1,500}");

  private final TraceStore store;
  private final HttpServer server;
  private final AtomicLong spans = new AtomicLong();

  public OtlpReceiver(int port, TraceStore store) {
    this.store = store;
    this.server = HttpExchanges.server(port);
    server.createContext("/v1/traces", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:port}: the value of {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public long spansReceived() {
    return spans.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      HttpExchanges.send(exchange, 405, "text/plain", "POST OTLP/HTTP trace exports here");
      return;
    }
    byte[] body = HttpExchanges.body(exchange);
    String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    try {
      ExportTraceServiceRequest request = type.startsWith("application/json") ? fromJson(body) : ExportTraceServiceRequest.parseFrom(body);
      for (ResourceSpans resource : request.getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            store.put(document(span));
            spans.incrementAndGet();
          }
        }
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      HttpExchanges.send(exchange, 400, "text/plain", "not an OTLP trace export: " + e.getMessage());
      return;
    }
    boolean json = type.startsWith("application/json");
    HttpExchanges.send(exchange, 200, json ? "application/json" : "application/x-protobuf",
        json ? "{}".getBytes(StandardCharsets.UTF_8) : ExportTraceServiceResponse.getDefaultInstance().toByteArray());
  }

  /**
   * An AWS SDK call (OpenTelemetry's {@code rpc.system=aws-api}) becomes what the X-Ray SDK records
   * for one, as X-Ray's OTLP path does: an {@code aws} subsegment named by the service, with the operation.
   */
  private static void awsCall(Span span, ObjectNode doc) {
    Map<String, String> attributes = new LinkedHashMap<>();
    span.getAttributesList().forEach(a -> attributes.put(a.getKey(), a.getValue().getStringValue()));
    if (!"aws-api".equals(attributes.get("rpc.system"))) {
      return;
    }
    doc.put("namespace", "aws");
    if (attributes.get("rpc.service") != null && !attributes.get("rpc.service").isEmpty()) {
      doc.put("name", attributes.get("rpc.service"));
    }
    ObjectNode aws = doc.putObject("aws");
    aws.put("operation", attributes.get("rpc.method"));
    if (attributes.get("aws.request_id") != null && !attributes.get("aws.request_id").isEmpty()) {
      aws.put("request_id", attributes.get("aws.request_id"));
    }
  }

  static ObjectNode document(Span span) {
    String traceId = hex(span.getTraceId());
    if (traceId.length() != 32 || span.getSpanId().size() != 8) {
      throw new IllegalArgumentException("a span needs a 16-byte trace id and an 8-byte span id");
    }
    ObjectNode doc = EventJson.mapper().createObjectNode();
    doc.put("name", span.getName());
    doc.put("id", hex(span.getSpanId()));
    doc.put("trace_id", "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8));
    doc.put("start_time", span.getStartTimeUnixNano() / 1e9);
    doc.put("end_time", span.getEndTimeUnixNano() / 1e9);
    boolean hasParent = !span.getParentSpanId().isEmpty();
    if (hasParent) {
      doc.put("parent_id", hex(span.getParentSpanId()));
      boolean entry = span.getKind() == Span.SpanKind.SPAN_KIND_SERVER || span.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER;
      if (!entry) {
        doc.put("type", "subsegment");
      }
    }
    if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
      doc.put("fault", true);
    }
    awsCall(span, doc);
    Map<String, String> annotations = new LinkedHashMap<>();
    for (KeyValue attribute : span.getAttributesList()) {
      AnyValue v = attribute.getValue();
      if (!ANNOTATION_KEY.matcher(attribute.getKey()).matches()) {
        continue;
      }
      switch (v.getValueCase()) {
        case STRING_VALUE -> annotations.put(attribute.getKey(), v.getStringValue());
        case BOOL_VALUE -> annotations.put(attribute.getKey(), Boolean.toString(v.getBoolValue()));
        case INT_VALUE -> annotations.put(attribute.getKey(), Long.toString(v.getIntValue()));
        default -> { }
      }
    }
    if (!annotations.isEmpty()) {
      ObjectNode node = doc.putObject("annotations");
      annotations.forEach(node::put);
    }
    return doc;
  }

  /** OTLP/JSON: the protobuf's field names in lowerCamelCase, ids in hex, nanosecond times as strings. */
  static ExportTraceServiceRequest fromJson(byte[] body) {
    JsonNode root = EventJson.parse(new String(body, StandardCharsets.UTF_8));
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (JsonNode rs : root.path("resourceSpans")) {
      ResourceSpans.Builder resource = ResourceSpans.newBuilder();
      for (JsonNode ss : rs.path("scopeSpans")) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (JsonNode s : ss.path("spans")) {
          Span.Builder span = Span.newBuilder()
              .setTraceId(bytes(s.path("traceId").asText()))
              .setSpanId(bytes(s.path("spanId").asText()))
              .setName(s.path("name").asText())
              .setKindValue(s.path("kind").asInt())
              .setStartTimeUnixNano(Long.parseLong(s.path("startTimeUnixNano").asText("0")))
              .setEndTimeUnixNano(Long.parseLong(s.path("endTimeUnixNano").asText("0")));
          if (!s.path("parentSpanId").asText("").isEmpty()) {
            span.setParentSpanId(bytes(s.path("parentSpanId").asText()));
          }
          span.setStatus(Status.newBuilder().setCodeValue(s.path("status").path("code").asInt()));
          for (JsonNode a : s.path("attributes")) {
            JsonNode v = a.path("value");
            AnyValue.Builder value = AnyValue.newBuilder();
            if (v.has("stringValue")) {
              value.setStringValue(v.get("stringValue").asText());
            } else if (v.has("boolValue")) {
              value.setBoolValue(v.get("boolValue").asBoolean());
            } else if (v.has("intValue")) {
              value.setIntValue(Long.parseLong(v.get("intValue").asText()));
            }
            span.addAttributes(KeyValue.newBuilder().setKey(a.path("key").asText()).setValue(value));
          }
          scope.addSpans(span);
        }
        resource.addScopeSpans(scope);
      }
      request.addResourceSpans(resource);
    }
    return request.build();
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
