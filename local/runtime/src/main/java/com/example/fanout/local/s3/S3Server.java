package com.example.fanout.local.s3;

import com.example.fanout.local.HttpExchanges;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A minimal S3 REST endpoint, objects in memory: CreateBucket, HeadBucket, ListBuckets, PutObject
 * (including the SDK's {@code aws-chunked} uploads), GetObject, HeadObject, DeleteObject and
 * ListObjectsV2, path-style (what the SDK uses for an IP endpoint) or {@code <bucket>.localhost}. It calls
 * its listeners on every ObjectCreated, which is what the bucket triggers need and s3proxy does not
 * offer. See docs/adr/0008-local-s3-stand-in.md.
 */
public final class S3Server implements AutoCloseable {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final String XML = "application/xml";

  private final HttpServer server;
  private final HttpContext context;
  private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
  private final List<Consumer<ObjectCreated>> listeners = new CopyOnWriteArrayList<>();

  public S3Server(int port) {
    server = HttpExchanges.server(port);
    context = server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void createBucket(String name) {
    buckets.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>());
  }

  public void onObjectCreated(Consumer<ObjectCreated> listener) {
    listeners.add(listener);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String[] target = bucketAndKey(exchange);
      String bucket = target[0];
      String key = target[1];
      String method = exchange.getRequestMethod();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      if (bucket == null) {
        listBuckets(exchange);
      } else if (key == null || key.isEmpty()) {
        switch (method) {
          case "PUT" -> {
            createBucket(bucket);
            exchange.getResponseHeaders().set("Location", "/" + bucket);
            HttpExchanges.send(exchange, 200, null, new byte[0]);
          }
          case "HEAD" -> HttpExchanges.send(exchange, buckets.containsKey(bucket) ? 200 : 404, null, new byte[0]);
          case "GET" -> list(exchange, bucket, query);
          default -> error(exchange, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", bucket);
        }
      } else {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
          error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist", bucket);
          return;
        }
        switch (method) {
          case "PUT" -> put(exchange, bucket, key, objects);
          case "GET", "HEAD" -> get(exchange, key, objects.get(key));
          case "DELETE" -> {
            objects.remove(key);
            HttpExchanges.send(exchange, 204, null, new byte[0]);
          }
          default -> error(exchange, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", key);
        }
      }
    } catch (RuntimeException e) {
      error(exchange, 500, "InternalError", e.toString(), null);
    }
  }

  private String[] bucketAndKey(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    String host = exchange.getRequestHeaders().getFirst("Host");
    String hostName = host == null ? "" : host.replaceFirst(":\\d+$", "");
    if (hostName.endsWith(".localhost")) {
      String key = path.length() > 1 ? decode(path.substring(1)) : null;
      return new String[] {hostName.substring(0, hostName.length() - ".localhost".length()), key};
    }
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.isEmpty()) {
      return new String[] {null, null};
    }
    int slash = trimmed.indexOf('/');
    return slash < 0 ? new String[] {decode(trimmed), null}
        : new String[] {decode(trimmed.substring(0, slash)), decode(trimmed.substring(slash + 1))};
  }

  private void put(HttpExchange exchange, String bucket, String key, NavigableMap<String, StoredObject> objects) throws IOException {
    byte[] raw = HttpExchanges.body(exchange);
    String contentSha = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    boolean chunked = (contentSha != null && contentSha.startsWith("STREAMING-"))
        || (encoding != null && encoding.contains("aws-chunked"));
    byte[] content = chunked ? decodeAwsChunked(raw) : raw;
    String eTag = "\"" + HexFormat.of().formatHex(md5(content)) + "\"";
    Map<String, String> metadata = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> {
      if (k.toLowerCase(Locale.ROOT).startsWith("x-amz-meta-")) {
        metadata.put(k.toLowerCase(Locale.ROOT), v.getFirst());
      }
    });
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    objects.put(key, new StoredObject(content, eTag, contentType == null ? "binary/octet-stream" : contentType, metadata,
        Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    exchange.getResponseHeaders().set("ETag", eTag);
    HttpExchanges.send(exchange, 200, null, new byte[0]);
    ObjectCreated created = new ObjectCreated(bucket, key, content.length, eTag.replace("\"", ""),
        exchange.getRemoteAddress().getAddress().getHostAddress());
    listeners.forEach(l -> l.accept(created));
  }

  private static void get(HttpExchange exchange, String key, StoredObject object) throws IOException {
    if (object == null) {
      error(exchange, 404, "NoSuchKey", "The specified key does not exist.", key);
      return;
    }
    var h = exchange.getResponseHeaders();
    h.set("ETag", object.eTag());
    h.set("Last-Modified", HTTP_DATE.format(object.lastModified()));
    h.set("Accept-Ranges", "bytes");
    object.userMetadata().forEach(h::set);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      h.set("Content-Type", object.contentType());
      h.set("Content-Length", Long.toString(object.content().length));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
    HttpExchanges.send(exchange, 200, object.contentType(), object.content());
  }

  private void list(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    if (objects == null) {
      error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist", bucket);
      return;
    }
    String prefix = query.getOrDefault("prefix", "");
    int maxKeys = Integer.parseInt(query.getOrDefault("max-keys", "1000"));
    String after = query.getOrDefault("continuation-token", query.getOrDefault("start-after", ""));
    StringBuilder contents = new StringBuilder();
    int count = 0;
    String lastKey = null;
    boolean truncated = false;
    for (Map.Entry<String, StoredObject> e : objects.tailMap(after, false).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      if (count == maxKeys) {
        truncated = true;
        break;
      }
      StoredObject o = e.getValue();
      contents.append("<Contents><Key>").append(xml(e.getKey())).append("</Key><LastModified>")
          .append(o.lastModified()).append("</LastModified><ETag>").append(xml(o.eTag())).append("</ETag><Size>")
          .append(o.content().length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
      count++;
      lastKey = e.getKey();
    }
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + xml(bucket) + "</Name><Prefix>"
        + xml(prefix) + "</Prefix><KeyCount>" + count + "</KeyCount><MaxKeys>" + maxKeys + "</MaxKeys><IsTruncated>"
        + truncated + "</IsTruncated>" + (truncated ? "<NextContinuationToken>" + xml(lastKey) + "</NextContinuationToken>" : "")
        + contents + "</ListBucketResult>";
    HttpExchanges.send(exchange, 200, XML, body);
  }

  private void listBuckets(HttpExchange exchange) throws IOException {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>local</ID></Owner><Buckets>");
    buckets.keySet().stream().sorted().forEach(b -> sb.append("<Bucket><Name>").append(xml(b))
        .append("</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"));
    sb.append("</Buckets></ListAllMyBucketsResult>");
    HttpExchanges.send(exchange, 200, XML, sb.toString());
  }

  /** The SDK's {@code aws-chunked} body: {@code <hex size>[;chunk-signature=..]\r\n<bytes>\r\n}..., a 0 chunk, then trailers. */
  static byte[] decodeAwsChunked(byte[] raw) throws IOException {
    InputStream in = new ByteArrayInputStream(raw);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String header = readLine(in);
      if (header == null) {
        break;
      }
      int semicolon = header.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(in.readNBytes(size));
      readLine(in);
    }
    return out.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return c == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  private static void error(HttpExchange exchange, int status, String code, String message, String resource) throws IOException {
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + xml(message)
        + "</Message>" + (resource == null ? "" : "<Resource>" + xml(resource) + "</Resource>")
        + "<RequestId>local</RequestId></Error>";
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    HttpExchanges.send(exchange, status, XML, body);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        out.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static byte[] md5(byte[] content) {
    try {
      return MessageDigest.getInstance("MD5").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<String> keys(String bucket) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    return objects == null ? List.of() : new ArrayList<>(objects.keySet());
  }

  /** Runs {@code filter} before every request (the local IAM check). */
  public void addFilter(Filter filter) {
    context.getFilters().add(filter);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
