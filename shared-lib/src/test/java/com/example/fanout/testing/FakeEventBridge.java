package com.example.fanout.testing;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * An HTTP endpoint on localhost that answers PutEvents the way EventBridge does (JSON 1.1,
 * per-entry results, FailedEntryCount) and records every call and accepted entry, with
 * programmable per-entry and whole-call failures.
 */
public final class FakeEventBridge implements AutoCloseable {
  /** Decides the fate of one entry: null accepts it, otherwise the ErrorCode to return. */
  public interface EntryOutcome extends Function<JsonNode, String> {}

  /** One accepted PutEvents entry, read back. */
  public record Entry(String source, String detailType, Envelope event, String traceHeader) {}

  private final HttpServer server;
  private final List<List<JsonNode>> calls = new CopyOnWriteArrayList<>();
  private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttleNextCalls = new AtomicInteger();
  private final AtomicInteger failNextCalls = new AtomicInteger();
  private volatile EntryOutcome outcome = entry -> null;
  private EventBridgeClient client;

  public FakeEventBridge() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A real SDK client pointed here (one per fake), with the SDK's own retries off so tests see ours. */
  public synchronized EventBridgeClient client() {
    if (client != null) {
      return client;
    }
    client = EventBridgeClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
        .build();
    return client;
  }

  public void outcome(EntryOutcome outcome) {
    this.outcome = outcome;
  }

  /** The next {@code n} calls fail as a whole with HTTP 400 ThrottlingException. */
  public void throttleNextCalls(int n) {
    throttleNextCalls.set(n);
  }

  /** The next {@code n} calls fail every entry with {@code InternalFailure}, as a struggling bus does. */
  public void failNextCalls(int n) {
    failNextCalls.set(n);
  }

  /** Every accepted entry, read back as source, detail-type, envelope and trace header. */
  public List<Entry> entries() {
    return accepted.stream().map(e -> new Entry(e.path("Source").asText(), e.path("DetailType").asText(),
        EventJson.readEnvelope(e.path("Detail").asText()),
        e.hasNonNull("TraceHeader") ? e.get("TraceHeader").asText() : null)).toList();
  }

  public List<String> publishedIds() {
    return entries().stream().map(e -> e.event().id()).toList();
  }

  /** Forgets the calls and accepted entries seen so far. */
  public void reset() {
    calls.clear();
    accepted.clear();
  }

  /** Entries of each call received, in order. */
  public List<List<JsonNode>> calls() {
    return List.copyOf(calls);
  }

  public List<JsonNode> accepted() {
    return List.copyOf(accepted);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    JsonNode body = EventJson.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!"AWSEvents.PutEvents".equals(target)) {
      respond(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
      return;
    }
    List<JsonNode> entries = new ArrayList<>();
    body.get("Entries").forEach(entries::add);
    calls.add(entries);
    if (throttleNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      respond(exchange, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
      return;
    }
    boolean failAll = failNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    ObjectNode response = EventJson.mapper().createObjectNode();
    ArrayNode results = response.putArray("Entries");
    int failed = 0;
    for (JsonNode entry : entries) {
      String error = failAll ? "InternalFailure" : outcome.apply(entry);
      ObjectNode result = results.addObject();
      if (error == null) {
        result.put("EventId", UUID.randomUUID().toString());
        accepted.add(entry);
      } else {
        result.put("ErrorCode", error);
        result.put("ErrorMessage", error + " for this entry");
        failed++;
      }
    }
    response.put("FailedEntryCount", failed);
    respond(exchange, 200, EventJson.write(response));
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    server.stop(0);
  }
}
