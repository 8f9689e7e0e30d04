package com.example.fanout.local.app.chaos;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.AwsClients;
import com.example.fanout.local.ConsumerFaults;
import com.example.fanout.local.ConsumerStatus;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.Ports;
import com.example.fanout.local.app.OrdersApi;
import com.example.fanout.local.app.SagaApp;
import com.example.fanout.local.eventbridge.EventArchive;
import com.example.fanout.local.observability.DeliveryCounts;
import com.example.fanout.local.servers.RepoPaths;
import com.example.fanout.local.sqs.QueueRef;
import com.example.inventory.dynamodb.StockSeeder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The chaos run: orders through the HTTP API into a platform whose every consumer crashes (before
 * and after its handler), receives duplicates and poison copies, is throttled and delayed, and whose
 * outbox relay times out (a steady share, and an outage midway during which the stream mapping gives
 * up on batches); then the faults are removed, every DLQ is triaged (poison copies recorded and
 * deleted, the rest redriven; stream batch descriptions redriven with {@code fanout dlq redrive})
 * and the invariants are checked by this program: every order at an end, stock conserved per sku
 * and no ended order left on a stock item, each order charged, shipped and notified as ADR 0020
 * promises, no dead letter and no order lost.
 */
public final class ChaosRun {
  private static final List<String> TERMINAL = List.of("SHIPPED", "REJECTED", "PAYMENT_FAILED");
  /** Orders placed but not yet at their end (no e-mail yet) above which the clients hold back. */
  static final long MAX_IN_PROGRESS = 300;

  /** What to run. */
  /**
   * @param relayTimeout share of the outbox relay's invocations that time out, half before the handler
   *                     got anything done and half after it did its work
   * @param relayOutage  how long every relay invocation times out, starting when half the orders are
   *                     placed or half the placing budget has passed: long enough for the stream mapping to give up on batches and describe
   *                     them in the relay's on-failure DLQ
   * @param queueOutage  how long {@link #OUTAGE_QUEUE} answers 500 to SNS (SNS retries) after the
   *                     restart, or after the outage starts when there is none; it starts
   *                     {@link #ORDERS_INTO_QUEUE_OUTAGE} orders before the restart, so that SNS's
   *                     retries are waiting when the platform stops; zero for none
   * @param restart      whether the whole platform is stopped and started again on its data directory
   *                     halfway through the placing, with orders in flight
   */
  public record Settings(int orders, Duration placingBudget, Duration settleBudget, int skus, long stockPerSku,
      double crash, double crashAfter, double duplicate, double throttle, Duration delay, double poison,
      double relayTimeout, Duration relayOutage, Duration queueOutage, boolean restart, long seed, int clients, Path dataDir) {

    public static Settings of(int orders, Duration placingBudget, Path dataDir) {
      return new Settings(orders, placingBudget, Duration.ofMinutes(5), Math.max(5, orders / 100), 0, 0.05, 0.05, 0.05, 0.05,
          Duration.ofMillis(5), 0.01, 0.05, Duration.ofSeconds(8), Duration.ofSeconds(2), true, 42, 8, dataDir);
    }

    FaultPlan plan() {
      return FaultPlan.builder().seed(seed).consumer(FaultPlan.EVERY_CONSUMER,
          new ConsumerFaults(crash, throttle, duplicate, delay, poison, crashAfter))
          .parse(RELAY + ":" + FaultPlan.STREAM_TIMEOUT + "=" + relayTimeout / 2 + "," + FaultPlan.STREAM_TIMEOUT_AFTER + "=" + relayTimeout / 2)
          .build();
    }
  }

  /** The stream mapping of the orders table's outbox. */
  static final String RELAY = "orders-outbox-relay";
  /** The queue of the saga's first step, which every order's OrderPlaced reaches through SNS. */
  static final String OUTAGE_QUEUE = "inventory-reserve-stock";
  /**
   * Orders placed into the queue outage before the restart: enough for SNS's retries to be waiting
   * when the platform stops, few enough that the clients do not hold back for the orders it stalls.
   */
  static final int ORDERS_INTO_QUEUE_OUTAGE = 30;

  /**
   * One sample of the queues: total visible, in flight and dead-lettered messages across consumers,
   * and the SNS deliveries to them waiting for a retry.
   */
  public record Sample(double seconds, long visible, long inFlight, long snsRetrying, long dlq) {}

  private record Placed(String orderId, String sku, int quantity) {}

  private final Settings settings;
  private final Report report = new Report();

  public ChaosRun(Settings settings) {
    this.settings = settings;
  }

  public Report run() throws Exception {
    long t0 = System.nanoTime();
    FaultPlan plan = settings.plan();
    LocalPlatform first = start(plan, settings.restart() ? Ports.freeAndKeepable() : Ports.FREE);
    LocalPlatform platform = first;
    try (DynamoDbClient dynamo = SagaApp.dynamoDb(first); SqsClient sqs = AwsClients.sqs(first.endpoints().sqs())) {
      Map<String, Long> stock = new LinkedHashMap<>();
      long perSku = settings.stockPerSku() > 0 ? settings.stockPerSku() : Math.max(10, settings.orders() * 2L / settings.skus());
      for (int i = 0; i < settings.skus(); i++) {
        stock.put(String.format("SKU-CHAOS-%03d", i), perSku);
      }
      new StockSeeder(dynamo, SagaApp.stockTable(platform)).seed(stock);
      report.initialStock = stock;

      Sampler sampler = new Sampler(platform, t0);
      sampler.start();
      long deadline = System.nanoTime() + settings.placingBudget().toNanos();
      long halfway = System.nanoTime() + settings.placingBudget().toNanos() / 2;
      List<Placed> placed = new ArrayList<>(place(platform, stock, sampler, 0, settings.orders() / 2 - ORDERS_INTO_QUEUE_OUTAGE, halfway));
      startQueueOutage(plan);
      placed.addAll(place(platform, stock, sampler, placed.size(), settings.orders() / 2, halfway));
      if (settings.restart()) {
        platform = restart(platform, plan, sampler, placed.size());
      }
      endQueueOutageLater(plan);
      startRelayOutage(platform);
      placed.addAll(place(platform, stock, sampler, placed.size(), settings.orders(), deadline));
      report.ordersPlaced = placed.size();
      report.placingSeconds = (System.nanoTime() - t0) / 1e9;
      awaitSettled(platform, dynamo, placed, settings.settleBudget());
      report.faultsInjected = plan.injected();
      report.functionFailures += platform.functionFailures().total();

      plan.disable();
      awaitQuiet(platform, Duration.ofMinutes(2));
      report.dlqBeforeRedrive = dlqTotal(platform);
      report.streamBatchesGivenUp = streamDlqTotal(platform, sqs);
      // Copies drawn before the faults were removed may still arrive: triage until the DLQs stay empty.
      for (int round = 0; round < 5 && dlqTotal(platform) + streamDlqTotal(platform, sqs) > 0; round++) {
        redriveStreamDlqs(platform, sqs);
        triageDeadLetters(platform, sqs);
        awaitSettled(platform, dynamo, placed, settings.settleBudget());
        awaitQuiet(platform, Duration.ofMinutes(2));
      }
      sampler.stop();
      report.samples = sampler.samples;
      check(platform, dynamo, sqs, placed, stock);
    } finally {
      platform.close();
    }
    report.seconds = (System.nanoTime() - t0) / 1e9;
    return report;
  }

  private LocalPlatform start(FaultPlan plan, Ports ports) {
    LocalPlatform platform = LocalPlatform.builder()
        .servicesDir(RepoPaths.root().resolve("services")).env("chaos").ports(ports)
        .dataDir(settings.dataDir()).persist(true).clockSpeed(600).faults(plan).deliveryMetrics(report.deliveries)
        .localEnvironment(SagaApp.localEnvironment()).build();
    platform.start();
    if (!platform.warnings().isEmpty()) {
      platform.close();
      throw new IllegalStateException("handlers not loaded: " + platform.warnings());
    }
    return platform;
  }

  /**
   * Stops the whole platform with orders in flight and starts it again on the same data directory
   * and ports (the clients keep their endpoints): queues, tables, streams with their checkpoints,
   * e-mails and pending EventBridge retries carry over; what was in flight is delivered again.
   */
  private LocalPlatform restart(LocalPlatform before, FaultPlan plan, Sampler sampler, int placedSoFar) {
    report.inFlightAtRestart = before.status().stream().mapToLong(s -> s.visible() + s.inFlight()).sum();
    report.restartedAfterOrders = placedSoFar;
    report.functionFailures += before.functionFailures().total();
    long t = System.nanoTime();
    before.close();
    report.snsRetriesKeptAtRestart = before.snsRetriesKeptAtStop();
    LocalPlatform after = start(plan, before.endpoints().ports());
    report.restartSeconds = (System.nanoTime() - t) / 1e9;
    report.restarts++;
    sampler.watch(after);
    return after;
  }

  // ------------------------------------------------------------------ placing

  /**
   * Places orders until {@code orders} or the placing budget is reached, holding back while more than
   * {@link #MAX_IN_PROGRESS} orders have no e-mail yet (every end sends one): the run measures how
   * many orders the platform completes in the time, not how many an HTTP client can queue up.
   */
  private List<Placed> place(LocalPlatform platform, Map<String, Long> stock, Sampler sampler, int from, int to, long deadline)
      throws InterruptedException {
    OrdersApi api = new OrdersApi(platform.endpoints().api(), platform.issuer());
    List<String> skus = new ArrayList<>(stock.keySet());
    List<Placed> placed = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger(from);
    AtomicLong retries = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(settings.clients());
    for (int c = 0; c < settings.clients(); c++) {
      pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < to && System.nanoTime() < deadline; ) {
          while (from + placed.size() - sampler.notified() > MAX_IN_PROGRESS && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          SplittableRandom random = new SplittableRandom(settings.seed() * 31 + i);
          String sku = skus.get(random.nextInt(skus.size()));
          int quantity = 1 + random.nextInt(3);
          int p = random.nextInt(100);
          String token = p < 85 ? "tok_visa_ok" : p < 95 ? "tok_decline" : "tok_insufficient";
          String customer = "cus_chaos_" + (i % 500);
          JsonNode body = OrdersApi.order(customer, customer + "@example.com", "web", token,
              List.of(new OrdersApi.Line(sku, quantity, 1000)));
          String key = "chaos-" + settings.seed() + "-" + i;
          for (int attempt = 1; ; attempt++) {
            try {
              OrdersApi.Answer answer = api.place(body, key);
              if (answer.status() == 201 || answer.status() == 200) {
                placed.add(new Placed(answer.orderId(), sku, quantity));
                break;
              }
              throw new IllegalStateException("POST /orders answered " + answer.status() + ": " + answer.body());
            } catch (RuntimeException e) {
              if (attempt >= 5) {
                report.placeFailures.incrementAndGet();
                break;
              }
              retries.incrementAndGet();
            }
          }
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(settings.placingBudget().toMillis() + 60_000, TimeUnit.MILLISECONDS);
    report.postRetries += retries.get();
    return List.copyOf(placed);
  }

  /** From now, SNS's every delivery to {@link #OUTAGE_QUEUE} is answered 500, until {@link #endQueueOutageLater}. */
  private void startQueueOutage(FaultPlan plan) {
    if (!settings.queueOutage().isZero()) {
      plan.setDeliveryFault(OUTAGE_QUEUE, FaultPlan.DELIVERY_UNAVAILABLE, 1);
    }
  }

  private void endQueueOutageLater(FaultPlan plan) {
    if (settings.queueOutage().isZero()) {
      return;
    }
    after(settings.queueOutage(), () -> plan.setDeliveryFault(OUTAGE_QUEUE, FaultPlan.DELIVERY_UNAVAILABLE, 0));
  }

  /** Ends an outage {@code duration} from now, on a thread of its own. */
  private static void after(Duration duration, Runnable end) {
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        end.run();
      }
    });
  }

  /** From now, every relay invocation times out for {@code relayOutage}, then the steady rate returns. */
  private void startRelayOutage(LocalPlatform platform) {
    if (settings.relayOutage().isZero()) {
      return;
    }
    platform.faults().setDeliveryFault(RELAY, FaultPlan.STREAM_TIMEOUT, 1);
    after(settings.relayOutage(), () -> platform.faults().setDeliveryFault(RELAY, FaultPlan.STREAM_TIMEOUT, settings.relayTimeout() / 2));
  }

  // ----------------------------------------------------------------- settling

  /** Until every order is at an end, or nothing moved for 20 s with no message left but dead letters. */
  private void awaitSettled(LocalPlatform platform, DynamoDbClient dynamo, List<Placed> placed, Duration budget) throws InterruptedException {
    long deadline = System.nanoTime() + budget.toNanos();
    long lastTerminal = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Map<String, String> statuses = statuses(platform, dynamo);
      long terminal = placed.stream().filter(p -> TERMINAL.contains(statuses.get(p.orderId()))).count();
      if (terminal == placed.size()) {
        return;
      }
      if (terminal != lastTerminal) {
        lastTerminal = terminal;
        lastChange = System.nanoTime();
      }
      boolean quiet = platform.status().stream().allMatch(ConsumerStatus::idle);
      if (quiet && System.nanoTime() - lastChange > Duration.ofSeconds(20).toNanos()) {
        return;
      }
      Thread.sleep(2000);
    }
  }

  /** Until no consumer has a message visible or in flight (the DLQs aside). */
  private static void awaitQuiet(LocalPlatform platform, Duration budget) throws InterruptedException {
    long deadline = System.nanoTime() + budget.toNanos();
    while (System.nanoTime() < deadline
        && !platform.status().stream().allMatch(ConsumerStatus::idle)) {
      Thread.sleep(500);
    }
  }

  private static Map<String, String> statuses(LocalPlatform platform, DynamoDbClient dynamo) {
    Map<String, String> out = new HashMap<>();
    dynamo.scanPaginator(r -> r.tableName(platform.env() + "-orders-orders").projectionExpression("orderId, #s")
        .expressionAttributeNames(Map.of("#s", "status")).consistentRead(true))
        .items().forEach(item -> {
          if (item.containsKey("orderId") && item.containsKey("status")) {
            out.put(item.get("orderId").s(), item.get("status").s());
          }
        });
    return out;
  }

  // -------------------------------------------------------------- dead letters

  private static long dlqTotal(LocalPlatform platform) {
    return platform.status().stream().mapToLong(ConsumerStatus::dlq).sum();
  }

  private static long streamDlqTotal(LocalPlatform platform, SqsClient sqs) {
    return platform.streamDlqs().values().stream().mapToLong(q -> depth(sqs, q.url())).sum();
  }

  private static long depth(SqsClient sqs, String url) {
    Map<String, String> a = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings(
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
    return Long.parseLong(a.get("ApproximateNumberOfMessages")) + Long.parseLong(a.get("ApproximateNumberOfMessagesNotVisible"));
  }

  /**
   * What on-call does for a stream DLQ (runbook StreamDlqNotEmpty): {@code fanout dlq redrive
   * <service>-<stream>}, which reads each described batch back from the stream and invokes the
   * function again.
   */
  private void redriveStreamDlqs(LocalPlatform platform, SqsClient sqs) {
    platform.streamDlqs().forEach((mapping, queue) -> {
      long before = depth(sqs, queue.url());
      if (before == 0) {
        return;
      }
      SagaApp.FanoutRun run = SagaApp.fanout(platform, "dlq", "redrive", mapping, "--wait", "600");
      report.streamBatchesRedriven += before - depth(sqs, queue.url());
      if (run.code() != 0) {
        report.streamRedriveFailures.add(mapping + ": " + abbreviate(run.output()));
      }
    });
  }

  /**
   * What on-call does after the incident: a dead letter the consumer runtime classed as poison whose
   * body is not even JSON (the injected poison copies) is recorded and deleted; every other one goes
   * back to its queue (redrive).
   */
  private void triageDeadLetters(LocalPlatform platform, SqsClient sqs) {
    for (ConsumerStatus status : platform.status()) {
      QueueRef queue = platform.queue(status.consumer());
      while (true) {
        List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queue.dlqUrl()).maxNumberOfMessages(10)
            .visibilityTimeout(60).messageAttributeNames("All").waitTimeSeconds(0)).messages();
        if (batch.isEmpty()) {
          break;
        }
        for (Message m : batch) {
          MessageAttributeValue failureClass = m.messageAttributes().get("fanout-failure-class");
          String reason = m.messageAttributes().containsKey("fanout-failure-reason")
              ? m.messageAttributes().get("fanout-failure-reason").stringValue() : "(redrive policy: maxReceiveCount)";
          if (failureClass != null && !"transient".equals(failureClass.stringValue()) && !isJson(m.body())) {
            report.poisonRecorded.merge(failureClass.stringValue(), 1L, Long::sum);
          } else {
            sqs.sendMessage(r -> r.queueUrl(queue.url()).messageBody(m.body()));
            report.redriven.merge(status.consumer(), 1L, Long::sum);
            report.redriveReasons.merge(abbreviate(reason), 1L, Long::sum);
          }
          sqs.deleteMessage(r -> r.queueUrl(queue.dlqUrl()).receiptHandle(m.receiptHandle()));
        }
      }
    }
  }

  private static boolean isJson(String body) {
    try {
      EventJson.parse(body);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  // --------------------------------------------------------------- invariants

  private void check(LocalPlatform platform, DynamoDbClient dynamo, SqsClient sqs, List<Placed> placed, Map<String, Long> initial) {
    Map<String, String> statuses = statuses(platform, dynamo);
    for (Placed p : placed) {
      String s = statuses.get(p.orderId());
      report.byStatus.merge(s == null ? "MISSING" : s, 1L, Long::sum);
      if (!TERMINAL.contains(s)) {
        report.lost.add(p.orderId() + " " + s);
      }
    }
    report.dlqAfterRedrive = dlqTotal(platform) + streamDlqTotal(platform, sqs);
    for (String service : List.of("orders", "inventory", "payments", "fulfillment", "notifications", "reporting")) {
      try {
        QueueRef ruleDlq = platform.ruleDlq(service);
        if (ruleDlq != null) {
          report.dlqAfterRedrive += Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(ruleDlq.url())
              .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));
        }
      } catch (RuntimeException notAPublisher) {
        // Only publishing services have a rule DLQ.
      }
    }

    // Events per order from the archive: duplicates carry the same (derived) id, so distinct ids count applications.
    Map<String, Map<String, Set<String>>> idsByOrderAndType = new HashMap<>();
    for (EventArchive.Archived a : platform.archive().select(null, null, null)) {
      JsonNode detail = a.event().path("detail");
      idsByOrderAndType.computeIfAbsent(detail.path("correlationId").asText(), k -> new HashMap<>())
          .computeIfAbsent(detail.path("type").asText(), k -> new HashSet<>()).add(detail.path("id").asText());
    }
    Map<String, Long> emailsByOrder = new HashMap<>();
    java.util.regex.Pattern orderId = java.util.regex.Pattern.compile("ord_[A-Za-z0-9]{8,40}");
    platform.emails().forEach(e -> {
      var m = orderId.matcher(e.subject() + " " + e.body());
      if (m.find()) {
        emailsByOrder.merge(m.group(), 1L, Long::sum);
      }
    });
    Map<String, Long> shippedUnits = new HashMap<>();
    for (Placed p : placed) {
      Map<String, Set<String>> events = idsByOrderAndType.getOrDefault(p.orderId(), Map.of());
      int charged = events.getOrDefault("PaymentAuthorized", Set.of()).size();
      int shipped = events.getOrDefault("OrderShipped", Set.of()).size();
      int notified = events.getOrDefault("NotificationSent", Set.of()).size();
      String s = statuses.get(p.orderId());
      if (charged > 1) {
        report.doubleApplied.add(p.orderId() + " charged " + charged + " times");
      }
      if (shipped > 1) {
        report.doubleApplied.add(p.orderId() + " shipped " + shipped + " times");
      }
      if ("SHIPPED".equals(s) && (charged != 1 || shipped != 1)) {
        report.doubleApplied.add(p.orderId() + " SHIPPED with " + charged + " charge(s) and " + shipped + " shipment(s)");
      }
      if (("REJECTED".equals(s) || "PAYMENT_FAILED".equals(s)) && shipped != 0) {
        report.doubleApplied.add(p.orderId() + " " + s + " but shipped");
      }
      if (TERMINAL.contains(s) && notified < 1) {
        report.notNotified.add(p.orderId() + " " + s);
      }
      long emails = emailsByOrder.getOrDefault(p.orderId(), 0L);
      if (emails > 1) {
        report.duplicateEmails += emails - 1;
      }
      if ("SHIPPED".equals(s)) {
        shippedUnits.merge(p.sku(), (long) p.quantity(), Long::sum);
      }
    }
    // Stock: available + held by live reservations (shipped orders keep theirs) = initial, per sku.
    Map<String, Long> reserved = new HashMap<>();
    dynamo.scanPaginator(r -> r.tableName(platform.env() + "-inventory-reservations").consistentRead(true)).items().forEach(item -> {
      if ("RESERVED".equals(item.get("status").s())) {
        for (AttributeValue line : item.get("lines").l()) {
          reserved.merge(line.m().get("sku").s(), Long.parseLong(line.m().get("quantity").n()), Long::sum);
        }
      }
    });
    for (Map.Entry<String, Long> e : initial.entrySet()) {
      Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(SagaApp.stockTable(platform))
          .key(Map.of("sku", AttributeValue.fromS(e.getKey()))).consistentRead(true)).item();
      long available = Long.parseLong(item.get("available").n());
      long held = reserved.getOrDefault(e.getKey(), 0L);
      long shipped = shippedUnits.getOrDefault(e.getKey(), 0L);
      if (available + held != e.getValue() || held != shipped || available < 0) {
        report.stockViolations.add(e.getKey() + ": available " + available + " + reserved/shipped " + held + " != initial " + e.getValue()
            + " (units of SHIPPED orders: " + shipped + ")");
      }
      // An order at its end was settled or released, so its id has left the item (ADR 0110).
      AttributeValue holders = item.get("reserved_orders");
      List<String> ended = holders == null || !holders.hasSs() ? List.of()
          : holders.ss().stream().filter(id -> TERMINAL.contains(statuses.get(id))).sorted().toList();
      if (!ended.isEmpty()) {
        report.stockViolations.add(e.getKey() + ": reserved_orders still holds " + ended.size() + " ended order(s), e.g. "
            + ended.subList(0, Math.min(3, ended.size())));
      }
    }
    report.duplicatesDelivered = report.faultsInjected.getOrDefault("duplicate", 0L) + report.faultsInjected.getOrDefault("crash-after", 0L);
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 97) + "..." : s;
  }

  /** Samples the queue depths every second while the run goes on. */
  private static final class Sampler {
    private volatile LocalPlatform platform;
    private final long t0;
    private final List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile long notified;
    private final Thread thread;

    Sampler(LocalPlatform platform, long t0) {
      this.platform = platform;
      this.t0 = t0;
      this.thread = Thread.ofVirtual().unstarted(this::loop);
    }

    void start() {
      thread.start();
    }

    long notified() {
      return notified;
    }

    /** Samples {@code restarted} from now on. */
    void watch(LocalPlatform restarted) {
      this.platform = restarted;
    }

    void stop() throws InterruptedException {
      thread.interrupt();
      thread.join();
    }

    private void loop() {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          List<ConsumerStatus> rows = platform.status();
          notified = platform.emails().size();
          samples.add(new Sample((System.nanoTime() - t0) / 1e9, rows.stream().mapToLong(ConsumerStatus::visible).sum(),
              rows.stream().mapToLong(ConsumerStatus::inFlight).sum(), rows.stream().mapToLong(ConsumerStatus::snsRetrying).sum(),
              rows.stream().mapToLong(ConsumerStatus::dlq).sum()));
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // A sample lost while the platform is busy is not worth stopping for.
        }
      }
    }
  }

  /** The figures and the invariants' verdicts. */
  public static final class Report {
    public int ordersPlaced;
    public long postRetries;
    public final AtomicLong placeFailures = new AtomicLong();
    public double placingSeconds;
    /** Restarts of the whole platform, the orders placed before it, what its queues held, and how long it was down. */
    public int restarts;
    public int restartedAfterOrders;
    public long inFlightAtRestart;
    public double restartSeconds;
    /** SNS deliveries to the queue in outage that were waiting for a retry when the platform stopped, kept in its data. */
    public long snsRetriesKeptAtRestart;
    /** EventBridge's and SNS's delivery metrics over the whole run, across the restart. */
    public final DeliveryCounts deliveries = new DeliveryCounts();
    public double seconds;
    public Map<String, Long> initialStock = Map.of();
    public Map<String, Long> faultsInjected = Map.of();
    public long functionFailures;
    public long duplicatesDelivered;
    public long dlqBeforeRedrive;
    /** Batch descriptions in the stream mappings' on-failure DLQs when the faults were removed. */
    public long streamBatchesGivenUp;
    public long streamBatchesRedriven;
    public final List<String> streamRedriveFailures = new ArrayList<>();
    public long dlqAfterRedrive;
    public final Map<String, Long> redriven = new ConcurrentHashMap<>();
    public final Map<String, Long> redriveReasons = new ConcurrentHashMap<>();
    public final Map<String, Long> poisonRecorded = new ConcurrentHashMap<>();
    public final Map<String, Long> byStatus = new java.util.TreeMap<>();
    public final List<String> lost = new ArrayList<>();
    public final List<String> doubleApplied = new ArrayList<>();
    public final List<String> notNotified = new ArrayList<>();
    public final List<String> stockViolations = new ArrayList<>();
    public long duplicateEmails;
    public List<Sample> samples = List.of();

    /** Every invariant held. */
    public boolean holds() {
      return lost.isEmpty() && doubleApplied.isEmpty() && notNotified.isEmpty() && stockViolations.isEmpty()
          && dlqAfterRedrive == 0 && placeFailures.get() == 0 && streamRedriveFailures.isEmpty() && deliveries.notificationsFailed() == 0;
    }

    public long redrivenTotal() {
      return redriven.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
