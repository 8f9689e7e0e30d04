package com.example.fanout.local.app;

import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.eventbridge.EventArchive;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code make run} demo: places a mix of orders through the HTTP API, shows each order's status
 * and last event live (read with {@code GET /orders/{id}}), then a summary table, the endpoints and
 * {@code curl} examples.
 */
public final class SagaDemo {
  /** Set by {@code make run} to the epoch millis it started at, to report the whole time to the end of the demo. */
  public static final String STARTED_AT_ENV = "FANOUT_RUN_STARTED_MS";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(200);

  private final LocalPlatform platform;
  private final PrintStream out;
  private final OrdersApi api;
  private final boolean redraw;

  public SagaDemo(LocalPlatform platform, PrintStream out) {
    this.platform = platform;
    this.out = out;
    this.api = new OrdersApi(platform.endpoints().api(), platform.issuer());
    this.redraw = isTerminal() && !"dumb".equals(System.getenv("TERM"));
  }

  /** What the demo saw of one order. */
  public static final class Tracked {
    final DemoScenario scenario;
    final String orderId;
    final long placedNanos;
    String status = "-";
    String lastEvent = "-";
    boolean stuck;
    long terminalNanos;
    boolean notified;

    Tracked(DemoScenario scenario, String orderId, long placedNanos) {
      this.scenario = scenario;
      this.orderId = orderId;
      this.placedNanos = placedNanos;
    }

    boolean done() {
      return terminalNanos != 0 && notified;
    }

    String line() {
      return String.format("  %-26s %-28s %-18s %-20s%s", orderId, scenario.name(), status, lastEvent,
          stuck ? " STUCK" : terminalNanos != 0 ? (notified ? "  e-mail sent" : "  e-mail pending") : "");
    }
  }

  public List<Tracked> run() throws InterruptedException {
    List<DemoScenario> scenarios = DemoScenario.mix();
    out.println("\ndemo: placing " + scenarios.size() + " orders with POST " + platform.endpoints().api() + "/orders");
    List<Tracked> orders = new ArrayList<>();
    for (DemoScenario s : scenarios) {
      OrdersApi.Answer answer = api.place(s.body(), UUID.randomUUID().toString());
      if (answer.status() != 201) {
        out.println("  " + s.name() + ": POST answered " + answer.status() + " " + answer.body());
        continue;
      }
      orders.add(new Tracked(s, answer.orderId(), System.nanoTime()));
    }
    follow(orders);
    printSummary(orders);
    printHowTo(orders);
    return orders;
  }

  private void follow(List<Tracked> orders) throws InterruptedException {
    out.printf("%n  %-26s %-28s %-18s %-20s%n", "order", "scenario", "status", "last event");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    boolean drawn = false;
    while (true) {
      List<String> changed = new ArrayList<>();
      for (Tracked t : orders) {
        if (t.done()) {
          continue;
        }
        String before = t.line();
        update(t);
        if (!before.equals(t.line())) {
          changed.add(t.line());
        }
      }
      if (redraw) {
        if (!changed.isEmpty() || !drawn) {
          if (drawn) {
            out.print("\033[" + orders.size() + "A");
          }
          orders.forEach(t -> out.print("\r\033[2K" + t.line() + "\n"));
          out.flush();
          drawn = true;
        }
      } else {
        changed.forEach(out::println);
      }
      if (orders.stream().allMatch(Tracked::done)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        out.println("  demo: not every order finished within " + TIMEOUT.toSeconds() + " s; see the live view and the timelines");
        break;
      }
      Thread.sleep(POLL);
    }
    long lastTerminal = orders.stream().mapToLong(t -> t.terminalNanos).max().orElse(System.nanoTime());
    String sinceStart = Optional.ofNullable(System.getenv(STARTED_AT_ENV)).filter(v -> v.matches("\\d+"))
        .map(v -> String.format(" (%.1f s after `make run` started)",
            (System.currentTimeMillis() - (System.nanoTime() - lastTerminal) / 1_000_000 - Long.parseLong(v)) / 1000.0))
        .orElse("");
    if (orders.stream().allMatch(t -> t.terminalNanos != 0)) {
      long firstPlaced = orders.stream().mapToLong(t -> t.placedNanos).min().orElse(lastTerminal);
      out.printf("%ndemo: all %d orders reached an end state %.1f s after the first was placed%s%n", orders.size(),
          (lastTerminal - firstPlaced) / 1e9, sinceStart);
    }
  }

  private void update(Tracked t) {
    Optional<JsonNode> order = api.get(t.orderId);
    if (order.isEmpty()) {
      return;
    }
    JsonNode o = order.get();
    t.status = o.path("status").asText("-");
    t.lastEvent = OrdersApi.lastEvent(o);
    t.stuck = o.path("stuck").asBoolean(false);
    if (OrdersApi.isTerminal(t.status) && t.terminalNanos == 0) {
      t.terminalNanos = System.nanoTime();
    }
    if (!t.notified) {
      t.notified = platform.emails().stream().anyMatch(e -> e.subject() != null && e.subject().contains(t.orderId));
    }
  }

  private void printSummary(List<Tracked> orders) {
    EventArchive archive = platform.archive();
    out.printf("%n  %-26s %-28s %-15s %-11s %-8s %-9s %s%n", "order", "scenario", "final status", "as expected", "e-mail",
        "to end", "events seen (EventBridge archive)");
    for (Tracked t : orders) {
      List<String> events = archive.select(null, null, t.orderId).stream()
          .map(a -> a.event().path("detail-type").asText()).distinct().toList();
      String took = t.terminalNanos == 0 ? "-" : String.format("%.2f s", (t.terminalNanos - t.placedNanos) / 1e9);
      out.printf("  %-26s %-28s %-15s %-11s %-8s %-9s %d: %s%n", t.orderId, t.scenario.name(), t.status,
          Objects.equals(t.status, t.scenario.expectedStatus()) ? "yes" : "NO", t.notified ? "sent" : "no", took,
          events.size(), String.join(" > ", events));
    }
  }

  private void printHowTo(List<Tracked> orders) {
    String api = platform.endpoints().api().toString();
    String control = platform.endpoints().control().toString();
    String example = orders.isEmpty() ? "ord_..." : orders.getFirst().orderId;
    out.println("\nendpoints:");
    out.println(platform.endpoints().describe());
    out.println("\ntry:");
    String customer = orders.isEmpty() ? "cus_1001" : orders.getFirst().scenario.body().path("customerId").asText();
    out.println("  # every route needs a token of the local issuer; a customer reads only their own orders");
    out.println("  export FANOUT_LOCAL_CONTROL_URL=" + control);
    out.println("  READ=$(bin/fanout token --sub " + customer + " --scope orders/read)");
    out.println("  curl -s " + api + "/orders/" + example + " -H \"Authorization: Bearer $READ\"");
    out.println("  curl -s " + control + "/_local/timeline/" + example);
    out.println("  curl -s " + control + "/_local/emails");
    out.println("  WRITE=$(bin/fanout token --sub cus_42 --scope orders/write)");
    out.println("  curl -s -X POST " + api + "/orders -H \"Authorization: Bearer $WRITE\" -H 'Content-Type: application/json' -H \"Idempotency-Key: $(uuidgen)\" \\");
    out.println("    -d '{\"customerId\":\"cus_42\",\"customerEmail\":\"you@example.com\",\"channel\":\"web\","
        + "\"items\":[{\"sku\":\"SKU-RED-MUG\",\"quantity\":1,\"unitPriceCents\":1250}],\"currency\":\"EUR\",\"paymentToken\":\"tok_visa_ok\"}'");
  }

  /** Whether stdout is an interactive terminal (Console.isTerminal() exists from JDK 22; on 21 a console means one). */
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
