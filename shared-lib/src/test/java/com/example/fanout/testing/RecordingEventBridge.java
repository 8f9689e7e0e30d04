package com.example.fanout.testing;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Answers {@code AWSEvents.PutEvents} (JSON 1.1) on localhost like EventBridge and records every
 * accepted entry; can be told to fail the entries of the next calls, as a throttled bus does.
 */
public final class RecordingEventBridge implements AutoCloseable {
  /** One accepted PutEvents entry. */
  public record Entry(String source, String detailType, Envelope event, String traceHeader) {}

  private final HttpServer server;
  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final AtomicInteger failingCalls = new AtomicInteger();
  private final EventBridgeClient client;

  public RecordingEventBridge() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.start();
    client = EventBridgeClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public EventBridgeClient client() {
    return client;
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  public List<String> publishedIds() {
    return entries.stream().map(e -> e.event().id()).toList();
  }

  /** The next {@code calls} PutEvents calls fail every entry with {@code InternalFailure}. */
  public void failNextCalls(int calls) {
    failingCalls.set(calls);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    JsonNode request = EventJson.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!"AWSEvents.PutEvents".equals(target)) {
      respond(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
      return;
    }
    boolean fail = failingCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    ObjectNode response = EventJson.mapper().createObjectNode();
    ArrayNode results = response.putArray("Entries");
    int failed = 0;
    for (JsonNode entry : request.path("Entries")) {
      if (fail) {
        failed++;
        results.addObject().put("ErrorCode", "InternalFailure").put("ErrorMessage", "injected failure");
        continue;
      }
      entries.add(new Entry(entry.path("Source").asText(), entry.path("DetailType").asText(),
          EventJson.readEnvelope(entry.path("Detail").asText()),
          entry.hasNonNull("TraceHeader") ? entry.get("TraceHeader").asText() : null));
      results.addObject().put("EventId", UUID.randomUUID().toString());
    }
    response.put("FailedEntryCount", failed);
    respond(exchange, 200, EventJson.write(response));
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    client.close();
    server.stop(0);
  }
}
