package com.example.fanout.benchmarks.coldstart;

import com.example.fanout.local.xray.TraceStore;
import com.example.fanout.local.xray.XRayDaemon;
import com.example.fanout.runtime.HeldClaim;
import com.example.fanout.runtime.SqsMessageDigests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A loopback endpoint that accepts every AWS JSON-protocol call a consumer makes on its first
 * batch (DynamoDB, EventBridge PutEvents with one id per entry, SQS SendMessage with the MD5s the
 * SDK checks, SES v2 SendEmail, S3 PutObject) with the smallest valid answer, refuses the idempotency
 * claim of a record another execution holds as DynamoDB does, serves one object to
 * every S3 GetObject ({@link #serveObject}), so a cold start measures the function's own work and
 * not a network; over plain HTTP or, as AWS serves it, over TLS ({@link #overTls}); standing in for the X-Ray
 * daemon Lambda runs beside a function, the segment documents the X-Ray SDK sends over UDP (the local
 * runtime's {@link XRayDaemon}, which refuses a document X-Ray would not take); and, standing in for the
 * ADOT layer's collector, OTLP trace exports. {@code SdkCallBenchmark} calls it too.
 */
public final class AwsStub implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TRACES_PATH = "/v1/traces";
  private static final String PASSWORD = "changeit";
  /**
   * The SDK's names ({@code AWS_ENDPOINT_URL_<SERVICE>}) of the services a function calls, each of
   * which the stub over TLS serves on a port of its own: in AWS each is another host, so a function
   * opens a connection and makes a handshake per service, not one for all.
   */
  static final List<String> SERVICES = List.of("DYNAMODB", "EVENTBRIDGE", "SQS", "SESV2", "S3");
  private final HttpServer server;
  /** The AWS endpoint over TLS, as AWS serves it, then one per {@link #SERVICES}; empty for a stub over plain HTTP. */
  private final List<HttpsServer> tlsServers = new java.util.ArrayList<>();
  private final Path keys;
  private final java.util.concurrent.atomic.AtomicInteger deadLettered = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger claimsRefused = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger traceExports = new java.util.concurrent.atomic.AtomicInteger();
  private final XRayDaemon xrayDaemon = new XRayDaemon(0, new TraceStore());
  private long traceDocumentsTaken;
  private long traceDocumentsRefusedTaken;
  private final java.util.Set<Integer> portsCalled = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile byte[] object = new byte[0];

  static {
    sendWithoutDelay();
  }

  /**
   * Makes the JDK's HTTP servers of this JVM send without Nagle's algorithm, as AWS's hosts answer.
   * Over TLS the JDK's server writes its handshake flight in several small writes; with Nagle on, the
   * later ones waited for the client's acknowledgement of the first, which the client delays by
   * 40 ms, and about a third of the stub's handshakes stalled that long. The JDK reads the setting
   * once, when its first HTTP server is made, so {@code BenchmarkMain} asks for it before any.
   */
  public static void sendWithoutDelay() {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** AWS calls over plain HTTP. */
  public AwsStub() throws IOException {
    this(null);
  }

  private AwsStub(Path keys) throws IOException {
    this.keys = keys;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::handle);
    server.start();
    if (keys == null) {
      return;
    }
    HttpsConfigurator tls = new HttpsConfigurator(serverContext(keys.resolve("stub.p12")));
    for (int i = 0; i <= SERVICES.size(); i++) {
      HttpsServer tlsServer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      tlsServer.setHttpsConfigurator(tls);
      tlsServer.createContext("/", this::handle);
      tlsServer.start();
      tlsServers.add(tlsServer);
    }
  }

  /**
   * AWS calls over TLS, as a function makes them in AWS: a self-signed RSA-2048 certificate for
   * 127.0.0.1 (made with the JDK's keytool into {@code dir}), which a client JVM trusts with
   * {@link #trustStoreFlags()}: the JDK's own trust store with that one certificate added, so the
   * client loads as many trust anchors as with the default. Each of {@link #SERVICES} has a port of
   * its own ({@link #endpointEnvironment()}). OTLP exports stay plain HTTP, as to the ADOT layer's
   * collector on localhost.
   */
  public static AwsStub overTls(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keyStore = dir.resolve("stub.p12");
    Path cert = dir.resolve("stub.cer");
    Path trustStore = dir.resolve("truststore.p12");
    for (Path p : List.of(keyStore, cert, trustStore)) {
      Files.deleteIfExists(p);
    }
    keytool("-genkeypair", "-alias", "stub", "-keyalg", "RSA", "-keysize", "2048", "-validity", "7", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-exportcert", "-alias", "stub", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", cert.toString());
    Files.copy(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"), trustStore);
    // Unprotected, as the JDK's own trust store is, so that a client reads it without a password.
    keytool("-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE", "-J-Dkeystore.pkcs12.macAlgorithm=NONE", "-importcert", "-noprompt",
        "-alias", "fanout-bench-stub", "-file", cert.toString(), "-keystore", trustStore.toString(), "-storepass", PASSWORD);
    return new AwsStub(dir);
  }

  /**
   * The JVM flags that make a client trust the stub's certificate ({@link #overTls}); none for plain
   * HTTP. No password, as the JDK loads its own trust store: a password makes it check the store's
   * MAC first, which a function in AWS does not.
   */
  public List<String> trustStoreFlags() {
    return keys == null ? List.of() : List.of("-Djavax.net.ssl.trustStore=" + keys.resolve("truststore.p12"));
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  private static SSLContext serverContext(Path keyStore) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keyStore)) {
        ks.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("the stub's key store " + keyStore, e);
    }
  }

  /** What every S3 GetObject is answered with from now on: the content of the object an import reads. */
  public void serveObject(byte[] content) {
    object = content.clone();
  }

  /** SQS SendMessage calls since the last call: the consumers send only poison messages to their DLQ. */
  int takeDeadLettered() {
    return deadLettered.getAndSet(0);
  }

  /**
   * Idempotency claims refused since the last call, as DynamoDB refuses a claim another execution
   * holds ({@link HeldClaim}): each one a record its consumer must report failed.
   */
  int takeClaimsRefused() {
    return claimsRefused.getAndSet(0);
  }

  /** AWS API calls answered since the last call: what a function's run asked of AWS. */
  public int takeCalls() {
    return calls.getAndSet(0);
  }

  /** How many of the stub's endpoints answered AWS calls since the last call: the hosts a function would have reached in AWS. */
  public int takeEndpointsCalled() {
    return takePortsCalled().size();
  }

  /** The ports of the stub's endpoints that answered AWS calls since the last call. */
  java.util.Set<Integer> takePortsCalled() {
    java.util.Set<Integer> ports = java.util.Set.copyOf(portsCalled);
    portsCalled.removeAll(ports);
    return ports;
  }

  /** OTLP trace exports received since the last call: what a function on {@code FANOUT_TRACER=otel} sent its collector. */
  public int takeTraceExports() {
    return traceExports.getAndSet(0);
  }

  /**
   * X-Ray segment documents received since the last call, each in a datagram of its own: what a
   * traced function's run sent the daemon. Call it once the function's process has ended: every
   * datagram it sent is then read first ({@link XRayDaemon#drain}).
   *
   * @throws IllegalStateException if the daemon refused a document since the last call, one that
   *     X-Ray would refuse too (its header line or a field X-Ray requires missing)
   */
  public synchronized int takeTraceDocuments() {
    xrayDaemon.drain(java.time.Duration.ofSeconds(10));
    long refused = xrayDaemon.rejected() - traceDocumentsRefusedTaken;
    traceDocumentsRefusedTaken += refused;
    if (refused > 0) {
      throw new IllegalStateException("the X-Ray daemon's stand-in refused " + refused + " datagram(s) (logged above)");
    }
    long received = xrayDaemon.received() - traceDocumentsTaken;
    traceDocumentsTaken += received;
    return (int) received;
  }

  /** The environment that sends a function's X-Ray SDK here, as Lambda's runtime points it at the daemon beside the function. */
  public Map<String, String> xrayDaemonEnvironment() {
    return Map.of("AWS_XRAY_DAEMON_ADDRESS", xrayDaemon.address());
  }

  /** Where a function on {@code FANOUT_TRACER=otel} exports its spans: the stub stands in for the ADOT layer's collector. */
  public URI tracesEndpoint() {
    return uri("http", server).resolve(TRACES_PATH);
  }

  /** Where AWS calls go: {@code https://} for a stub {@link #overTls}, else {@code http://}. */
  public URI endpoint() {
    return tlsServers.isEmpty() ? uri("http", server) : uri("https", tlsServers.getFirst());
  }

  /**
   * The environment that points a function's SDK clients here: {@code AWS_ENDPOINT_URL}, and over
   * TLS an {@code AWS_ENDPOINT_URL_<SERVICE>} per {@link #SERVICES}, each on a port of its own.
   */
  public Map<String, String> endpointEnvironment() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL", endpoint().toString());
    if (!tlsServers.isEmpty()) {
      for (int i = 0; i < SERVICES.size(); i++) {
        env.put("AWS_ENDPOINT_URL_" + SERVICES.get(i), uri("https", tlsServers.get(i + 1)).toString());
      }
    }
    return env;
  }

  private static URI uri(String scheme, HttpServer server) {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] request = exchange.getRequestBody().readAllBytes();
    if (exchange.getRequestURI().getPath().equals(TRACES_PATH)) {
      // An empty ExportTraceServiceResponse: every span accepted.
      traceExports.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
    calls.incrementAndGet();
    portsCalled.add(exchange.getLocalAddress().getPort());
    String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String target = String.valueOf(amzTarget);
    if (exchange.getRequestMethod().equals("GET") && amzTarget == null) {
      // S3 GetObject (REST): the object's bytes. Every other call the functions make is a POST or a PUT.
      byte[] content = object;
      exchange.getResponseHeaders().set("Content-Type", "text/csv");
      exchange.getResponseHeaders().set("ETag", "\"" + md5(content) + "\"");
      exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
      exchange.getResponseBody().write(content);
      exchange.close();
      return;
    }
    // A record whose claim another execution holds, as when SQS delivers a message twice at once, or a timed-out
    // invocation's message comes back before its claim lapsed.
    java.util.Optional<String> refused = HeldClaim.refusal(amzTarget, request);
    if (refused.isPresent()) {
      claimsRefused.incrementAndGet();
      send(exchange, 400, refused.get().getBytes(StandardCharsets.UTF_8));
      return;
    }
    ObjectNode answer = MAPPER.createObjectNode();
    if (target.endsWith(".PutEvents")) {
      JsonNode entries = MAPPER.readTree(request).path("Entries");
      answer.put("FailedEntryCount", 0);
      ArrayNode ids = answer.putArray("Entries");
      entries.forEach(e -> ids.addObject().put("EventId", UUID.randomUUID().toString()));
    } else if (target.endsWith(".SendMessage")) {
      // A poison message moved to the DLQ: the SDK refuses an answer without the body's MD5, and the attributes' when sent.
      JsonNode send = MAPPER.readTree(request);
      deadLettered.incrementAndGet();
      answer.setAll((ObjectNode) MAPPER.readTree(SqsMessageDigests.sendMessageAnswer(UUID.randomUUID().toString(), send)));
    }
    if (exchange.getRequestURI().getPath().endsWith("/v2/email/outbound-emails")) {
      answer.put("MessageId", UUID.randomUUID().toString()); // SES v2 SendEmail (REST JSON)
    }
    send(exchange, 200, MAPPER.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static String md5(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    tlsServers.forEach(s -> s.stop(0));
    xrayDaemon.close();
  }
}
