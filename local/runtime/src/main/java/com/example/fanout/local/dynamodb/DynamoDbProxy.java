package com.example.fanout.local.dynamodb;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.lambda.LocalFunction;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.manifest.ServiceManifest.StreamTrigger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DynamoDB's endpoint, in front of dynalite, adding what dynalite lacks: a stream. Writes to a
 * table with {@code stream:} are serialised per table; the proxy reads the item before and after
 * each write and turns every change into a stream record (INSERT, MODIFY or REMOVE with the images
 * the view type asks for) for the table's stream feeds. Everything else passes through unchanged.
 * See docs/adr/0007-local-dynamodb-stream-emulation.md.
 */
public final class DynamoDbProxy implements AutoCloseable {
  private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");
  private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive");

  private final URI backend;
  private final String region;
  private final String account;
  private final StreamsApi streams;
  private final HttpServer server;
  private final HttpContext context;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, StreamTable> streamTables = new ConcurrentHashMap<>();
  private final StreamStore store;
  private final Object[] keyLocks = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

  public DynamoDbProxy(URI backend, int port, String region, String account) {
    this(backend, port, region, account, null);
  }

  /**
   * @param streamDirectory where the streams' records and the mappings' checkpoints are kept across
   *                        restarts ({@link StreamStore}); null keeps them in memory
   */
  public DynamoDbProxy(URI backend, int port, String region, String account, java.nio.file.Path streamDirectory) {
    this.store = streamDirectory == null ? StreamStore.memory() : StreamStore.in(streamDirectory);
    this.backend = backend;
    this.region = region;
    this.account = account;
    this.streams = new StreamsApi(streamTables::values);
    this.server = HttpExchanges.server(port);
    context = server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Emits the changes of {@code table} to the function of {@code trigger}, in order per key, in batches. */
  public StreamFeed addStream(String table, String partitionKey, String sortKey, String viewType,
      String feedName, StreamTrigger trigger, LocalClock clock, LocalFunction function, SpanLog spans) {
    StreamTable t = streamTables.computeIfAbsent(table, n -> new StreamTable(n, partitionKey, sortKey, viewType, region, account, store));
    StreamFeed feed = new StreamFeed(feedName, trigger.batch().size(), clock.toReal(Duration.ofSeconds(trigger.batch().windowSeconds())),
        trigger.parallelizationFactor(), StreamFilter.of(trigger.filters()), function.name(), function::invoke, spans)
        .readingShard(t.streamArn, StreamTable.SHARD_ID);
    t.resume(feed);
    return feed;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = HttpExchanges.body(exchange);
    String target = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("X-Amz-Target"), "");
    String operation = target.substring(target.indexOf('.') + 1);
    if (target.startsWith(StreamsApi.TARGET_PREFIX)) {
      streams.handle(exchange, operation, body);
      return;
    }
    try {
      if (WRITES.contains(operation)) {
        JsonNode request = EventJson.mapper().readTree(body);
        if (feedsAStream(operation, request)) {
          writeWithStream(exchange, body, operation, request);
          return;
        }
      }
      relay(exchange, forward(exchange, body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      HttpExchanges.send(exchange, 500, "application/x-amz-json-1.0", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\"}");
    }
  }

  /** True when the write touches a table with a stream. */
  private boolean feedsAStream(String operation, JsonNode request) {
    if (operation.equals("BatchWriteItem")) {
      Iterator<String> names = request.path("RequestItems").fieldNames();
      while (names.hasNext()) {
        if (streamTables.containsKey(names.next())) {
          return true;
        }
      }
      return false;
    }
    return streamTables.containsKey(request.path("TableName").asText());
  }

  private void writeWithStream(HttpExchange exchange, byte[] body, String operation, JsonNode request)
      throws IOException, InterruptedException {
    // A lock per item key (striped) keeps before-image, write and after-image of that item atomic, so
    // its stream records follow its writes in order, while writes to other items proceed: DynamoDB
    // Streams orders records per item, not across items. A BatchWriteItem takes its stripes in order.
    List<KeyedWrite> writes = keyedWrites(operation, request);
    int[] stripes = writes.stream().mapToInt(w -> Math.floorMod(Objects.hash(w.table.name, w.key.toString()), keyLocks.length))
        .distinct().sorted().toArray();
    lockAll(stripes, 0, () -> {
      for (KeyedWrite w : writes) {
        w.before = getItem(w.table, w.key);
      }
      HttpResponse<byte[]> response = forward(exchange, body);
      if (response.statusCode() == 200) {
        for (KeyedWrite w : writes) {
          JsonNode after = getItem(w.table, w.key);
          emit(w.table, w.key, w.before, after);
        }
      }
      relay(exchange, response);
      return null;
    });
  }

  private interface Body {
    Void run() throws IOException, InterruptedException;
  }

  private void lockAll(int[] stripes, int i, Body body) throws IOException, InterruptedException {
    if (i == stripes.length) {
      body.run();
      return;
    }
    synchronized (keyLocks[stripes[i]]) {
      lockAll(stripes, i + 1, body);
    }
  }

  private List<KeyedWrite> keyedWrites(String operation, JsonNode request) {
    List<KeyedWrite> out = new ArrayList<>();
    switch (operation) {
      case "PutItem" -> {
        StreamTable t = streamTables.get(request.get("TableName").asText());
        out.add(new KeyedWrite(t, keyOf(t, request.get("Item"))));
      }
      case "UpdateItem", "DeleteItem" -> {
        StreamTable t = streamTables.get(request.get("TableName").asText());
        out.add(new KeyedWrite(t, keyOf(t, request.get("Key"))));
      }
      default -> request.path("RequestItems").properties().forEach(e -> {
        StreamTable t = streamTables.get(e.getKey());
        if (t != null) {
          for (JsonNode r : e.getValue()) {
            if (r.has("PutRequest")) {
              out.add(new KeyedWrite(t, keyOf(t, r.get("PutRequest").get("Item"))));
            } else if (r.has("DeleteRequest")) {
              out.add(new KeyedWrite(t, keyOf(t, r.get("DeleteRequest").get("Key"))));
            }
          }
        }
      });
    }
    return out;
  }

  private static ObjectNode keyOf(StreamTable t, JsonNode item) {
    ObjectNode key = EventJson.mapper().createObjectNode();
    key.set(t.partitionKey, item.get(t.partitionKey));
    if (t.sortKey != null) {
      key.set(t.sortKey, item.get(t.sortKey));
    }
    return key;
  }

  private JsonNode getItem(StreamTable t, ObjectNode key) throws IOException, InterruptedException {
    ObjectNode get = EventJson.mapper().createObjectNode();
    get.put("TableName", t.name);
    get.set("Key", key);
    get.put("ConsistentRead", true);
    HttpResponse<byte[]> r = client.send(backendRequest("GetItem", EventJson.write(get).getBytes(StandardCharsets.UTF_8)),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      return null;
    }
    JsonNode item = EventJson.mapper().readTree(r.body()).get("Item");
    return item == null || item.isNull() ? null : item;
  }

  private void emit(StreamTable t, ObjectNode key, JsonNode before, JsonNode after) {
    if (Objects.equals(before, after)) {
      return;
    }
    String eventName = before == null ? "INSERT" : after == null ? "REMOVE" : "MODIFY";
    JsonNode newImage = t.viewType.contains("NEW") ? after : null;
    JsonNode oldImage = t.viewType.contains("OLD") ? before : null;
    long size = EventJson.write(after != null ? after : before).length();
    // Numbered, logged and handed to the feeds as one step per table: the log and every lane see the
    // table's records in sequence-number order, whichever items they touch.
    synchronized (t.emitLock) {
      long sequenceNumber = t.sequence.incrementAndGet();
      Instant written = Instant.now();
      t.emit(new StreamLog.Entry(sequenceNumber,
          streamsForm(eventName, key, newImage, oldImage, sequenceNumber, size, t.viewType, written), written));
    }
  }

  /**
   * The record as the Streams API's {@code GetRecords} returns it (DynamoDB JSON images); with
   * {@code eventSourceARN} added, what Lambda hands the function and what FilterCriteria patterns match.
   */
  private ObjectNode streamsForm(String eventName, JsonNode key, JsonNode newImage, JsonNode oldImage,
      long sequenceNumber, long size, String viewType, Instant written) {
    ObjectNode json = EventJson.mapper().createObjectNode();
    json.put("eventID", UUID.randomUUID().toString().replace("-", ""));
    json.put("eventName", eventName);
    json.put("eventVersion", "1.1");
    json.put("eventSource", "aws:dynamodb");
    json.put("awsRegion", region);
    ObjectNode dynamodb = json.putObject("dynamodb");
    dynamodb.put("ApproximateCreationDateTime", written.getEpochSecond());
    dynamodb.set("Keys", key);
    if (newImage != null) {
      dynamodb.set("NewImage", newImage);
    }
    if (oldImage != null) {
      dynamodb.set("OldImage", oldImage);
    }
    dynamodb.put("SequenceNumber", Long.toString(sequenceNumber));
    dynamodb.put("SizeBytes", size);
    dynamodb.put("StreamViewType", viewType.toUpperCase(Locale.ROOT));
    return json;
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI().getRawPath()))
        .timeout(Duration.ofSeconds(30))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((k, values) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(k, v));
      }
    });
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest backendRequest(String operation, byte[] body) {
    return HttpRequest.newBuilder(backend)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "DynamoDB_20120810." + operation)
        .header("X-Amz-Date", "20260101T000000Z")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/" + region
            + "/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
    response.headers().map().forEach((k, values) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.equalsIgnoreCase("date") && !k.startsWith(":")) {
        exchange.getResponseHeaders().put(k, values);
      }
    });
    HttpExchanges.send(exchange, response.statusCode(), null, response.body());
  }

  /** Runs {@code filter} before every request (the local IAM check). */
  public void addFilter(Filter filter) {
    context.getFilters().add(filter);
  }

  @Override
  public void close() {
    // A write in progress gets its stream record kept before the store closes.
    server.stop(2);
    streamTables.values().forEach(t -> t.feeds.forEach(StreamFeed::close));
    store.close();
  }

  private static final class KeyedWrite {
    final StreamTable table;
    final ObjectNode key;
    JsonNode before;

    KeyedWrite(StreamTable table, ObjectNode key) {
      this.table = table;
      this.key = key;
    }
  }
}
