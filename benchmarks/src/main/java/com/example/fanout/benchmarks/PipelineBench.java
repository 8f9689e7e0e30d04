package com.example.fanout.benchmarks;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.AwsClients;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.Ports;
import com.example.fanout.local.app.OrdersApi;
import com.example.fanout.local.app.SagaApp;
import com.example.fanout.local.lambda.SqsEventSourceMapping;
import com.example.fanout.local.xray.XRayDaemon;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ServiceManifest;
import com.example.inventory.dynamodb.StockSeeder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The whole saga on the local runtime (clock x1, the manifests' batching windows), with every
 * consumer's concurrency set to C: clients place happy-path orders for a while, then the run waits
 * for every order to end. The load is closed-loop over the whole saga ({@value #CLIENTS} clients, each
 * placing its next order when its last one has ended, which it reads from the orders API once a
 * second: the throughput ceiling, with at most that many orders in flight) or, with a rate,
 * open-loop (orders started at fixed
 * intervals whatever the answers: latency at that rate, each order's end-to-end time counted from
 * when it was due, so a slow answer does not hide the wait behind it). Hop latency is an event's wait between SNS delivering it to
 * a queue and the poller receiving it, minus that consumer's batching window, read from the
 * runtime's span log. The baseline is a bare SQS send/receive/delete loop with C threads and the
 * same client against the same embedded ElasticMQ.
 */
public final class PipelineBench {
  private static final String SKU = "SKU-BENCH";
  /**
   * Orders in flight in the closed loop: enough to keep every stage busy (at about 12 orders/s and
   * 3-4 s per order on 2 cores), few enough that their status reads stay a small part of the load.
   */
  static final int CLIENTS = 48;
  private static final Duration STATUS_POLL = Duration.ofSeconds(1);

  /**
   * @param consumerWaits per consumer (queue name without the env), its hop waits: how many, p50 and
   *     p99 in ms; the combined hop figures are dominated by the consumer that falls behind, these
   *     say which one it is
   * @param cpuMsPerDelivery CPU time of the bench's processes (this JVM, dynalite) over the load,
   *     per delivery: what a delivery costs
   * @param baselineCpuMsPerMessage the same for a message of the bare SQS loop
   * @param traceDocumentsPerDelivery X-Ray segment documents the functions sent the local runtime's
   *     daemon over the load, per delivery: a consumer that stops tracing under load shows here
   * @param traceDocumentsRefused documents the daemon refused over the load (X-Ray would too)
   */
  public record Result(int concurrency, int orders, double ordersPerSecond, double deliveriesPerSecond, double baselinePerSecond,
      double cpuMsPerDelivery, double baselineCpuMsPerMessage, double hopP50, double hopP95, double hopP99, double e2eP50, double e2eP99, double burstSeconds, double slowestConsumerSeconds,
      String slowestConsumer, Map<String, ConsumerWait> consumerWaits, double traceDocumentsPerDelivery, long traceDocumentsRefused) {}

  /** One consumer's hop waits (beyond its batching window). */
  public record ConsumerWait(int count, double p50, double p99) {}

  /** How long the X-Ray daemon may take to read what is queued on its socket. */
  private static final Duration DAEMON_DRAIN = Duration.ofSeconds(30);

  private final Path repo;
  private final Path work;

  public PipelineBench(Path repo, Path work) {
    this.repo = repo.toAbsolutePath().normalize();
    this.work = work.toAbsolutePath().normalize();
  }

  /**
   * One concurrency in a JVM of its own: the services build their SDK clients once per JVM (as on
   * Lambda), so a second platform in the same JVM would find them pointing at the first one's ports.
   */
  public Result runForked(int concurrency, Duration load, double rate, int burst) throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), PipelineBench.class.getName(),
        repo.toString(), work.toString(), Integer.toString(concurrency), Long.toString(load.toSeconds()), Integer.toString(burst),
        Double.toString(rate));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("AWS_EMF_ENVIRONMENT", "Local");
    Process process = pb.start();
    String result = null;
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("PIPELINE ")) {
          result = line.substring(9);
        } else {
          System.out.println(line);
        }
      }
    }
    process.waitFor();
    if (result == null) {
      throw new IllegalStateException("the pipeline run at C=" + concurrency + " reported nothing (exit " + process.exitValue() + ")");
    }
    if (result.startsWith("ERROR ")) {
      throw new IllegalStateException(result.substring(6));
    }
    return EventJson.mapper().copy().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS).readValue(result, Result.class);
  }

  /** Arguments: repo, work dir, concurrency, load seconds, burst, rate; prints one {@code PIPELINE} line. */
  public static void main(String[] args) {
    try {
      Result r = new PipelineBench(Path.of(args[0]), Path.of(args[1]))
          .run(Integer.parseInt(args[2]), Duration.ofSeconds(Long.parseLong(args[3])), Double.parseDouble(args[5]),
              Integer.parseInt(args[4]));
      System.out.println("PIPELINE " + EventJson.mapper().writeValueAsString(r));
    } catch (Exception e) {
      System.out.println("PIPELINE ERROR " + e.getMessage());
    }
    System.exit(0);
  }

  /** @param rate orders per second, open-loop; 0 for the closed loop of {@value #CLIENTS} clients */
  public Result run(int concurrency, Duration load, double rate, int burst) throws Exception {
    Path services = servicesWithConcurrency(concurrency);
    Path data = work.resolve("pipeline-c" + concurrency + "-" + UUID.randomUUID());
    try (LocalPlatform platform = LocalPlatform.builder().servicesDir(services).repoRoot(repo).env("bench").ports(Ports.FREE)
        .dataDir(data).clockSpeed(1).localEnvironment(SagaApp.localEnvironment()).build()) {
      platform.start();
      try (DynamoDbClient dynamo = SagaApp.dynamoDb(platform)) {
        new StockSeeder(dynamo, SagaApp.stockTable(platform)).seed(Map.of(SKU, 10_000_000L));
      }
      OrdersApi api = new OrdersApi(platform.endpoints().api(), platform.issuer());
      Map<String, String> windows = windows(platform.catalog());

      // Burst: N orders at once, then the time until all ended, against the busiest consumer's own span.
      Instant burstStart = Instant.now();
      List<String> burstIds = place(api, burst);
      awaitEnd(api, burstIds, Duration.ofMinutes(3));
      double burstSeconds = Duration.between(burstStart, Instant.now()).toMillis() / 1000.0;
      platform.spans().flush();
      Map<String, double[]> busy = consumerSpans(platform.spans().runtimeFile(), burstStart);
      String slowest = busy.entrySet().stream().max(Map.Entry.comparingByValue((a, b) -> Double.compare(a[1] - a[0], b[1] - b[0])))
          .map(Map.Entry::getKey).orElse("?");
      double slowestSeconds = busy.isEmpty() ? Double.NaN : (busy.get(slowest)[1] - busy.get(slowest)[0]) / 1000.0;

      // Sustained load.
      long deliveredBefore = delivered(platform);
      XRayDaemon daemon = platform.xray().daemon();
      daemon.drain(DAEMON_DRAIN);
      long documentsBefore = daemon.received();
      long refusedBefore = daemon.rejected();
      Duration cpuBefore = cpuTime();
      Instant loadStart = Instant.now();
      Map<String, Instant> placedAt = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
        if (rate > 0) {
          try (var ticker = Executors.newSingleThreadScheduledExecutor()) {
            ticker.scheduleAtFixedRate(() -> {
              Instant due = Instant.now();
              clients.execute(() -> placedAt.put(placeOne(api), due));
            }, 0, Math.round(1e9 / rate), java.util.concurrent.TimeUnit.NANOSECONDS);
            Thread.sleep(load.toMillis());
            ticker.shutdownNow();
          }
        } else {
          for (int i = 0; i < CLIENTS; i++) {
            clients.execute(() -> {
              while (!stop.get()) {
                Instant t = Instant.now();
                String id = placeOne(api);
                placedAt.put(id, t);
                awaitEnd(api, List.of(id), Duration.ofMinutes(3), STATUS_POLL);
              }
            });
          }
          Thread.sleep(load.toMillis());
          stop.set(true);
        }
      }
      List<String> ids = new ArrayList<>(placedAt.keySet());
      awaitEnd(api, ids, Duration.ofMinutes(3));
      Instant loadEnd = Instant.now();
      double seconds = Duration.between(loadStart, loadEnd).toMillis() / 1000.0;
      long deliveries = delivered(platform) - deliveredBefore;
      double cpuMs = cpuTime().minus(cpuBefore).toNanos() / 1e6;
      daemon.drain(DAEMON_DRAIN);
      double documentsPerDelivery = (double) (daemon.received() - documentsBefore) / deliveries;
      long documentsRefused = daemon.rejected() - refusedBefore;
      platform.spans().flush();
      Map<String, List<Double>> hopsByQueue = hopLatencies(platform.spans().runtimeFile(), loadStart, windows);
      List<Double> hops = hopsByQueue.values().stream().flatMap(List::stream).toList();
      Map<String, ConsumerWait> waits = new java.util.TreeMap<>();
      hopsByQueue.forEach((queue, w) -> waits.put(queue.substring(queue.indexOf('-') + 1),
          new ConsumerWait(w.size(), percentile(w, 50), percentile(w, 99))));
      List<Double> e2e = new ArrayList<>();
      for (String id : ids) {
        api.get(id).map(o -> endedAt(o)).filter(t -> t != null).ifPresent(t -> e2e.add((double) Duration.between(placedAt.get(id), t).toMillis()));
      }
      Baseline baseline = sqsBaseline(platform, concurrency, Duration.ofSeconds(10));
      return new Result(concurrency, ids.size(), ids.size() / seconds, deliveries / seconds, baseline.perSecond(),
          cpuMs / deliveries, baseline.cpuMsPerMessage(),
          percentile(hops, 50), percentile(hops, 95), percentile(hops, 99), percentile(e2e, 50), percentile(e2e, 99),
          burstSeconds, slowestSeconds, slowest, waits, documentsPerDelivery, documentsRefused);
    }
  }

  private static JsonNode order() {
    return OrdersApi.order("cus_bench", "bench@example.com", "web", "tok_visa_ok", List.of(new OrdersApi.Line(SKU, 1, 1000)));
  }

  private static List<String> place(OrdersApi api, int n) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
      for (int i = 0; i < n; i++) {
        pool.execute(() -> ids.add(placeOne(api)));
      }
    }
    return ids;
  }

  /** Places one order, retrying a throttled or failed POST as a client would (same idempotency key). */
  private static String placeOne(OrdersApi api) {
    String key = UUID.randomUUID().toString();
    for (int attempt = 1; ; attempt++) {
      OrdersApi.Answer a = api.place(order(), key);
      if (a.status() == 201 || a.status() == 200) {
        return a.orderId();
      }
      if (attempt == 5) {
        throw new IllegalStateException("POST /orders answered " + a.status() + ": " + a.body());
      }
      try {
        Thread.sleep(100L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static void awaitEnd(OrdersApi api, List<String> ids, Duration timeout) {
    awaitEnd(api, ids, timeout, Duration.ofMillis(200));
  }

  private static void awaitEnd(OrdersApi api, List<String> ids, Duration timeout, Duration poll) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> open = new ArrayList<>(ids);
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      // Orders end roughly in the order they were placed: a pass stops at the first one still open, so
      // waiting costs about one GET per poll instead of one per open order, load the pipeline would share.
      while (!open.isEmpty() && api.get(open.get(0)).map(o -> OrdersApi.isTerminal(o.path("status").asText())).orElse(false)) {
        open.remove(0);
      }
      if (!open.isEmpty()) {
        try {
          Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + open.size() + " orders", e);
        }
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException(open.size() + " orders did not end within " + timeout);
    }
  }

  /** When the order reached its end: the time of the last status history entry. */
  private static Instant endedAt(JsonNode order) {
    JsonNode history = order.path("statusHistory");
    if (!history.isArray() || history.isEmpty()) {
      return order.hasNonNull("updatedAt") ? Instant.parse(order.get("updatedAt").asText()) : null;
    }
    JsonNode last = history.get(history.size() - 1);
    String at = last.path("at").asText(null);
    return at == null ? null : Instant.parse(at);
  }

  private static long delivered(LocalPlatform platform) {
    long total = 0;
    for (var m : platform.catalog().services()) {
      for (var c : m.consumers()) {
        total += platform.mapping(m.service() + "-" + c.name()).map(SqsEventSourceMapping::stats).map(SqsEventSourceMapping.Stats::deleted).orElse(0L);
      }
    }
    return total;
  }

  /** Queue name -> configured window in ms. */
  private static Map<String, String> windows(Catalog catalog) {
    Map<String, String> out = new HashMap<>();
    for (var m : catalog.services()) {
      for (var c : m.consumers()) {
        out.put("bench-" + m.service() + "-" + c.name(), Long.toString(c.batch().windowSeconds() * 1000L));
      }
    }
    return out;
  }

  /** Per queue, per event: received minus delivered-to-queue minus the consumer's window, in ms. */
  private static Map<String, List<Double>> hopLatencies(Path spans, Instant from, Map<String, String> windows) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    try (Stream<String> lines = Files.lines(spans)) {
      lines.map(EventJson::parse).filter(s -> s.hasNonNull("eventId") && !Instant.parse(s.path("start").asText()).isBefore(from))
          .forEach(events::add);
    }
    // Spans are written as they end, by the threads that record them: a delivery's span can follow the
    // poller's receive of the same message in the file, so every delivery is read before any receive.
    Map<String, Instant> enqueued = new HashMap<>();
    for (JsonNode s : events) {
      if (s.path("name").asText().equals("delivered to queue")) {
        enqueued.merge(s.get("eventId").asText() + "|" + s.path("detail").asText(""), Instant.parse(s.path("start").asText()),
            (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Map<String, List<Double>> out = new HashMap<>();
    for (JsonNode s : events) {
      String detail = s.path("detail").asText("");
      if (s.path("name").asText().equals("poller received") && detail.contains(" receive #1")) {
        String queue = detail.substring(0, detail.indexOf(' '));
        Instant in = enqueued.get(s.get("eventId").asText() + "|" + queue);
        if (in != null) {
          long window = Long.parseLong(windows.getOrDefault(queue, "0"));
          Instant start = Instant.parse(s.path("start").asText());
          out.computeIfAbsent(queue, q -> new ArrayList<>()).add((double) Math.max(0, Duration.between(in, start).toMillis() - window));
        }
      }
    }
    return out;
  }

  /** Consumer (queue) -> {first receive, last delete} in epoch ms after {@code from}. */
  private static Map<String, double[]> consumerSpans(Path spans, Instant from) throws IOException {
    Map<String, double[]> out = new HashMap<>();
    try (Stream<String> lines = Files.lines(spans)) {
      for (String line : (Iterable<String>) lines::iterator) {
        JsonNode s = EventJson.parse(line);
        Instant start = Instant.parse(s.path("start").asText());
        String name = s.path("name").asText();
        if (start.isBefore(from) || !(name.equals("poller received") || name.equals("poller deleted"))) {
          continue;
        }
        String detail = s.path("detail").asText("");
        String queue = detail.contains(" ") ? detail.substring(0, detail.indexOf(' ')) : detail;
        double[] span = out.computeIfAbsent(queue, q -> new double[] {Double.MAX_VALUE, 0});
        span[0] = Math.min(span[0], start.toEpochMilli());
        span[1] = Math.max(span[1], start.toEpochMilli());
      }
    }
    return out;
  }

  private record Baseline(double perSecond, double cpuMsPerMessage) {}

  /**
   * CPU time so far of this JVM and the processes it started (dynalite's node): the whole local
   * runtime, clients included.
   */
  static Duration cpuTime() {
    ProcessHandle self = ProcessHandle.current();
    return Stream.concat(Stream.of(self), self.descendants())
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }

  /**
   * Deliveries per second of a bare send/receive/delete loop ({@code threads} threads, batches of
   * 10, one SQS client), and the CPU per message it costs.
   */
  private Baseline sqsBaseline(LocalPlatform platform, int threads, Duration duration) throws Exception {
    SqsClient sqs = AwsClients.sqs(platform.endpoints().sqs());
    String url = sqs.createQueue(b -> b.queueName("bench-baseline-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
    AtomicLong delivered = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    String body = "{\"detail\":{\"data\":{\"orderId\":\"ord_x\",\"totalCents\":1000}}}";
    Duration cpuBefore = cpuTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        pool.execute(() -> {
          while (!stop.get()) {
            List<SendMessageBatchRequestEntry> send = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              send.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(send));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (!got.isEmpty()) {
              List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
              for (int i = 0; i < got.size(); i++) {
                delete.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(got.get(i).receiptHandle()).build());
              }
              sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(delete));
              delivered.addAndGet(got.size());
            }
          }
        });
      }
      Thread.sleep(duration.toMillis());
      stop.set(true);
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    double cpuMs = cpuTime().minus(cpuBefore).toNanos() / 1e6;
    return new Baseline(delivered.get() / (duration.toMillis() / 1000.0), cpuMs / delivered.get());
  }

  /** A copy of the manifests with every consumer's concurrency set to {@code c}. */
  private Path servicesWithConcurrency(int c) throws IOException {
    Path out = work.resolve("services-c" + c);
    Path source = repo.resolve("services");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = source.relativize(p);
        if (rel.toString().contains("target") || rel.toString().contains("src")) {
          continue;
        }
        Path target = out.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (p.getFileName().toString().equals("service.yaml")) {
          Files.writeString(target, withConsumerConcurrency(Files.readString(p), c));
        } else if (!rel.toString().startsWith("pom")) {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return out;
  }

  /** Only the {@code consumers:} section: no max_concurrency, reserved concurrency {@code c} (what the mapping then uses). */
  static String withConsumerConcurrency(String yaml, int c) {
    StringBuilder out = new StringBuilder();
    boolean consumers = false;
    for (String line : yaml.split("\n", -1)) {
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
        consumers = line.startsWith("consumers:");
      }
      if (consumers) {
        line = line.replaceAll(",\\s*max_concurrency:\\s*\\d+", "").replaceAll("reserved_concurrency:\\s*\\d+", "reserved_concurrency: " + c);
      }
      out.append(line).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }

  static double percentile(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
