package com.example.fanout.local.s3;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.HttpExchanges;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal S3 REST endpoint, objects in memory: CreateBucket, HeadBucket, ListBuckets, PutObject
 * (including the SDK's {@code aws-chunked} uploads), GetObject, HeadObject, DeleteObject and
 * ListObjectsV2, path-style (what the SDK uses for an IP endpoint) or {@code <bucket>.localhost}. It calls
 * its listeners on every ObjectCreated, which is what the bucket triggers need and s3proxy does not
 * offer. See docs/adr/0008-local-s3-stand-in.md.
 *
 * <p>Objects live in memory; given a store directory they are also kept on disk and read back when the
 * next server starts on it (without notifying the listeners again, as S3 does not). The layout:
 * <pre>
 * &lt;store&gt;/&lt;bucket&gt;/                      one directory per bucket (only valid S3 bucket names are accepted)
 * &lt;store&gt;/&lt;bucket&gt;/&lt;k&gt;.json               an object's metadata: its key, ETag, content type, user metadata, last-modified
 * &lt;store&gt;/&lt;bucket&gt;/&lt;k&gt;.&lt;md5&gt;.data         its bytes
 * </pre>
 * where {@code <k>} is the hex SHA-256 of the key's UTF-8 bytes and {@code <md5>} its ETag, so no key (with
 * {@code /}, {@code ..} or anything else in it) ever becomes part of a path. Every file is written to a
 * temporary file first and moved into place atomically: the bytes before the metadata that names them,
 * and the old bytes removed after, so a crash leaves either the old or the new object; the leftovers
 * (temporary files, bytes no metadata names) are removed at the next start.
 */
public final class S3Server implements AutoCloseable {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final String XML = "application/xml";
  private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
  private static final String METADATA = ".json";
  private static final String DATA = ".data";

  /** What {@code <k>.json} holds for an object; its bytes are in {@code <k>.<md5>.data}. */
  record ObjectFile(String key, String eTag, String contentType, Map<String, String> userMetadata, Instant lastModified,
      long size) {}

  private final HttpServer server;
  private final HttpContext context;
  private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
  private final List<Consumer<ObjectCreated>> listeners = new CopyOnWriteArrayList<>();
  private final Path store;

  /** Objects in memory only, gone when the server stops. */
  public S3Server(int port) {
    this(port, null);
  }

  /**
   * @param storeDirectory where buckets and objects are kept so that a server started again on it serves
   *     them (created if missing), or {@code null} to keep them in memory only
   */
  public S3Server(int port, Path storeDirectory) {
    this.store = storeDirectory;
    if (store != null) {
      load();
    }
    server = HttpExchanges.server(port);
    context = server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Creates the bucket unless it exists. With a store, {@code name} must be a valid S3 bucket name
   * (it names the bucket's directory); an {@link IllegalArgumentException} says it is not.
   */
  public void createBucket(String name) {
    if (store == null) {
      buckets.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>());
      return;
    }
    if (!validBucketName(name)) {
      throw new IllegalArgumentException("not a valid S3 bucket name: " + name);
    }
    buckets.computeIfAbsent(name, n -> {
      try {
        Files.createDirectories(store.resolve(n));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the bucket directory " + store.resolve(n), e);
      }
      return new ConcurrentSkipListMap<>();
    });
  }

  /** S3's rules for general purpose bucket names, which also keep a name a single plain path segment. */
  static boolean validBucketName(String name) {
    return BUCKET_NAME.matcher(name).matches() && !name.contains("..") && !IP_ADDRESS.matcher(name).matches()
        && !name.startsWith("xn--") && !name.endsWith("-s3alias") && !name.endsWith("--ol-s3");
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
            try {
              createBucket(bucket);
            } catch (IllegalArgumentException e) {
              error(exchange, 400, "InvalidBucketName", "The specified bucket is not valid.", bucket);
              return;
            }
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
            synchronized (objects) {
              StoredObject removed = objects.get(key);
              if (store != null && removed != null) {
                forget(bucket, key, removed);
              }
              objects.remove(key);
            }
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
    StoredObject object = new StoredObject(content, eTag, contentType == null ? "binary/octet-stream" : contentType, metadata,
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
    // One writer at a time per bucket, so that the disk ends with the same object as the memory.
    synchronized (objects) {
      if (store != null) {
        keep(bucket, key, object, objects.get(key));
      }
      objects.put(key, object);
    }
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

  /** Writes {@code object}'s bytes, then the metadata naming them, then removes {@code previous}'s bytes. */
  private void keep(String bucket, String key, StoredObject object, StoredObject previous) {
    Path dir = store.resolve(bucket);
    String data = dataFile(key, object.eTag());
    try {
      DataFiles.replace(dir.resolve(data), object.content(), false);
      DataFiles.replace(dir.resolve(keyHash(key) + METADATA), EventJson.mapper().writeValueAsBytes(new ObjectFile(key,
          object.eTag(), object.contentType(), object.userMetadata(), object.lastModified(), object.content().length)), false);
      if (previous != null && !dataFile(key, previous.eTag()).equals(data)) {
        Files.deleteIfExists(dir.resolve(dataFile(key, previous.eTag())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep s3://" + bucket + "/" + key + " in " + dir, e);
    }
  }

  /** Removes the metadata first: without it the object is gone, and its bytes are a leftover. */
  private void forget(String bucket, String key, StoredObject object) {
    Path dir = store.resolve(bucket);
    try {
      Files.deleteIfExists(dir.resolve(keyHash(key) + METADATA));
      Files.deleteIfExists(dir.resolve(dataFile(key, object.eTag())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete s3://" + bucket + "/" + key + " from " + dir, e);
    }
  }

  private void load() {
    try {
      Files.createDirectories(store);
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(store)) {
        for (Path dir : dirs) {
          String name = dir.getFileName().toString();
          if (!Files.isDirectory(dir) || !validBucketName(name)) {
            LOG.warn("{} is not a bucket directory of the S3 store; ignored", dir);
            continue;
          }
          buckets.put(name, loadBucket(dir));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the S3 store " + store, e);
    }
    LOG.info("S3 store {}: {} buckets, {} objects", store, buckets.size(),
        buckets.values().stream().mapToInt(Map::size).sum());
  }

  private static NavigableMap<String, StoredObject> loadBucket(Path dir) throws IOException {
    NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    Set<String> named = new HashSet<>();
    List<Path> others = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(METADATA) || DataFiles.isTemporary(file)) {
          others.add(file);
          continue;
        }
        ObjectFile meta;
        try {
          meta = EventJson.mapper().readValue(file.toFile(), ObjectFile.class);
        } catch (IOException e) {
          throw damaged(file, "not an object's metadata: " + e.getMessage());
        }
        if (meta.key() == null || meta.eTag() == null || !MD5_HEX.matcher(meta.eTag().replace("\"", "")).matches()) {
          throw damaged(file, "an object's metadata needs its key and ETag");
        }
        if (!fileName.equals(keyHash(meta.key()) + METADATA)) {
          throw damaged(file, "it holds the metadata of " + meta.key() + ", which belongs in " + keyHash(meta.key()) + METADATA);
        }
        String data = dataFile(meta.key(), meta.eTag());
        Path dataPath = dir.resolve(data);
        if (!Files.isRegularFile(dataPath)) {
          throw damaged(file, "the bytes of " + meta.key() + " (" + data + ") are missing");
        }
        byte[] content = Files.readAllBytes(dataPath);
        if (!meta.eTag().equals("\"" + HexFormat.of().formatHex(md5(content)) + "\"")) {
          throw damaged(dataPath, "its MD5 is not the ETag " + meta.eTag() + " of " + meta.key());
        }
        objects.put(meta.key(), new StoredObject(content, meta.eTag(), meta.contentType() == null ? "binary/octet-stream"
            : meta.contentType(), meta.userMetadata() == null ? Map.of() : meta.userMetadata(), meta.lastModified()));
        named.add(data);
      }
    }
    for (Path other : others) {
      String fileName = other.getFileName().toString();
      if (DataFiles.isTemporary(other) || (fileName.endsWith(DATA) && !named.contains(fileName))) {
        // What a write or delete cut short left behind: a temporary file, or bytes no metadata names.
        LOG.info("removing {}, left by an interrupted write", other);
        Files.deleteIfExists(other);
      } else if (!named.contains(fileName)) {
        LOG.warn("{} is not a file of the S3 store; ignored", other);
      }
    }
    return objects;
  }

  private static IllegalStateException damaged(Path file, String why) {
    return new IllegalStateException("the S3 store file " + file + " is damaged (" + why + "): restore or delete it");
  }

  /** The hex SHA-256 of the key's UTF-8 bytes: what names an object's files. */
  static String keyHash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String dataFile(String key, String eTag) {
    return keyHash(key) + "." + eTag.replace("\"", "") + DATA;
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
