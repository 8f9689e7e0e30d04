package com.example.fanout.local.app.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code make chaos}: {@code ChaosMain [orders] [placing-minutes] [report.md]} runs {@link ChaosRun}
 * and writes its report (default 10,000 orders, 15 minutes of placing, {@code docs/reliability.md}).
 * Exits 1 when an invariant does not hold.
 */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Duration placing = Duration.ofSeconds((long) (60 * (args.length > 1 ? Double.parseDouble(args[1]) : 15)));
    Path report = Path.of(args.length > 2 ? args[2] : "docs/reliability.md");
    Path data = Files.createDirectories(Path.of("target", "chaos-data-" + System.currentTimeMillis()));
    // Functions log to stdout as in Lambda; keep the console for the run's own lines.
    java.io.PrintStream console = System.out;
    System.setOut(new java.io.PrintStream(Files.newOutputStream(data.resolve("functions.jsonl")), true, java.nio.charset.StandardCharsets.UTF_8));
    console.println("chaos run: " + orders + " orders, " + placing.toMinutes() + " min of placing at most; function logs in " + data.resolve("functions.jsonl"));
    ChaosRun.Report result = new ChaosRun(ChaosRun.Settings.of(orders, placing, data)).run();
    System.setOut(console);
    Files.writeString(report, markdown(orders, placing, result));
    System.out.println("chaos run: " + result.ordersPlaced + " orders, invariants " + (result.holds() ? "hold" : "BROKEN")
        + "; report in " + report);
    System.exit(result.holds() ? 0 : 1);
  }

  /** The report: figures, invariants, and the queue depths over time. */
  public static String markdown(int asked, Duration placing, ChaosRun.Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Reliability: the chaos run\n\n");
    sb.append("Written by `make chaos` (`ChaosMain`, module `local/app`); `make test` runs the same scenario with 300 orders\n"
        + "(`ChaosRunTest`). See \"How the run works\" below for what is injected and what is checked.\n\n");
    sb.append("## Figures of the last run\n\n| figure | value |\n|---|---|\n");
    row(sb, "orders asked / placed", asked + " / " + r.ordersPlaced + " (placing budget " + placing.toMinutes() + " min, "
        + String.format(Locale.ROOT, "%.0f s spent placing", r.placingSeconds) + ")");
    row(sb, "run time (start-up to verdict)", String.format(Locale.ROOT, "%.0f s", r.seconds));
    row(sb, "restarts of the whole platform (data directory kept)", r.restarts == 0 ? "0" : r.restarts + ", after "
        + r.restartedAfterOrders + " orders, with " + r.inFlightAtRestart + " messages visible or in flight; stop and start took "
        + String.format(Locale.ROOT, "%.1f s", r.restartSeconds));
    row(sb, "SNS deliveries to " + ChaosRun.OUTAGE_QUEUE + " waiting in SNS's retries during its queue's outage, kept across the restart",
        Long.toString(r.snsRetriesKeptAtRestart));
    row(sb, "SNS notifications delivered / failed (NumberOfNotificationsFailed: moved to a subscription's DLQ)",
        r.deliveries.notificationsDelivered() + " / " + r.deliveries.notificationsFailed());
    row(sb, "POST retries (same Idempotency-Key) / POSTs that never succeeded", r.postRetries + " / " + r.placeFailures.get());
    row(sb, "orders by end status", r.byStatus.toString());
    r.faultsInjected.forEach((k, v) -> row(sb, "faults injected: " + k, Long.toString(v)));
    row(sb, "function failures on the live view (crashes, timeouts, errors)", Long.toString(r.functionFailures));
    row(sb, "duplicate deliveries absorbed (duplicates + redeliveries after crash-after)", Long.toString(r.duplicatesDelivered));
    row(sb, "dead letters when the faults were removed", Long.toString(r.dlqBeforeRedrive));
    row(sb, "stream batches the relay's mapping gave up on (descriptions in its on-failure DLQ)", Long.toString(r.streamBatchesGivenUp));
    row(sb, "stream batch descriptions redriven (fanout dlq redrive orders-outbox-relay)", r.streamBatchesRedriven
        + (r.streamRedriveFailures.isEmpty() ? "" : "; failed: " + r.streamRedriveFailures));
    row(sb, "redriven", r.redrivenTotal() + " " + r.redriven);
    row(sb, "redrive reasons", r.redriveReasons.toString());
    row(sb, "poison copies recorded and deleted (by failure class)", r.poisonRecorded.toString());
    row(sb, "dead letters after the redrive (consumer, rule and stream DLQs)", Long.toString(r.dlqAfterRedrive));
    row(sb, "orders lost (not at an end)", r.lost.size() + (r.lost.isEmpty() ? "" : " " + r.lost.subList(0, Math.min(10, r.lost.size()))));
    row(sb, "double-applied (charged or shipped twice, shipped after a failure)", r.doubleApplied.size()
        + (r.doubleApplied.isEmpty() ? "" : " " + r.doubleApplied.subList(0, Math.min(10, r.doubleApplied.size()))));
    row(sb, "orders at an end without their e-mail", Integer.toString(r.notNotified.size()));
    row(sb, "e-mails sent twice (at-least-once, ADR 0020)", Long.toString(r.duplicateEmails));
    row(sb, "stock per sku: available + reserved + shipped = initial, no ended order in reserved_orders", r.stockViolations.isEmpty()
        ? "holds for all " + r.initialStock.size() + " skus" : String.join("; ", r.stockViolations));
    sb.append("\n**Invariants: ").append(r.holds() ? "all hold" : "BROKEN").append(".**\n\n");
    sb.append("## Queue depths over time (all consumers)\n\n| t (s) | visible | in flight | waiting for SNS's retry | DLQ |\n"
        + "|---:|---:|---:|---:|---:|\n");
    List<ChaosRun.Sample> samples = r.samples;
    int step = Math.max(1, samples.size() / 40);
    for (int i = 0; i < samples.size(); i += step) {
      ChaosRun.Sample s = samples.get(i);
      sb.append(String.format(Locale.ROOT, "| %.0f | %d | %d | %d | %d |%n", s.seconds(), s.visible(), s.inFlight(), s.snsRetrying(), s.dlq()));
    }
    sb.append(HOW);
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }

  private static final String HOW = """

      ## How the run works
      - One JVM, the whole platform (`LocalPlatform`, clock x600 so that a visibility timeout of 120 s
        retries after 0.2 s), every reference service's handlers, free ports below the
        system's ephemeral range (so that the restart finds them free), its own data directory.
      - Stock: `SKU-CHAOS-nnn`, enough for about half the demand, so some orders end REJECTED.
      - Orders: 8 clients POST through the HTTP API with a customer's token (holding back while more
        than 300 orders have no e-mail yet, so that the run measures what the platform completes,
        not what a client can queue up), 1-3 units of a random sku,
        85 % `tok_visa_ok`, 10 % `tok_decline`, 5 % `tok_insufficient`; each with its own
        `Idempotency-Key`, a failed POST retried with the same key.
      - Faults on every consumer (`FaultPlan`, seeded): 5 % `crash` (the function dies before the
        handler, no state change), 5 % `crash-after` (after the handler's writes and follow-up
        events, before Lambda learns the outcome: the batch comes again), 5 % `duplicate` (SNS
        delivers twice), 5 % `throttle` (429, the poller backs off), `delay` 5 ms per invocation,
        1 % `poison` (a truncated copy of a delivered message).
      - Halfway through the placing (half the orders, or half the placing time), with orders in
        flight, the whole platform is stopped and started again on the same data directory and
        ports (`LocalPlatform.Builder.persist`, ADR 0101): queues and their messages (ElasticMQ's H2
        store), tables (dynalite's LevelDB), the streams with each mapping's checkpoints, buckets,
        secrets, sent e-mails and EventBridge's and SNS's pending retries carry over. Messages in flight and
        stream records after a checkpoint are delivered again; idempotency absorbs them.
      - A queue outage: from 30 orders before the restart until 2 s after it,
        `inventory-reserve-stock`'s queue answers every SNS delivery with a 500 (`unavailable`). SNS
        retries each with its delivery policy for SQS (ADR 0114); the deliveries still waiting for a
        retry when the platform stops are kept in its data directory and retried at its next start.
        None may end in a DLQ: SNS's `NumberOfNotificationsFailed` must stay 0.
      - Faults on the outbox relay's stream mapping (`orders-outbox-relay`): 2.5 % of its invocations
        time out before the handler got anything done (`timeout`), 2.5 % after its events went out
        (`timeout-after`: Lambda reports a timeout, the batch is bisected and published again), and
        for 8 s from the restart (or, without one, from the moment half the orders are placed)
        every invocation times out before the
        handler (an outage): after 5 attempts per batch the mapping gives up and
        describes the records in the relay's on-failure DLQ, as Lambda's `DestinationConfig.OnFailure` does.
      - When every order is at an end or nothing moves any more, the faults are removed
        (`FaultPlan.disable()`), every DLQ is triaged: a dead letter the consumer runtime classed as
        poison whose body is not JSON (the injected copies) is recorded and deleted, every other one
        is sent back to its queue; each stream DLQ is redriven with `fanout dlq redrive orders-outbox-relay`
        (the records read back through the Streams API, the relay invoked through Lambda's Invoke).
        Then the run waits for the orders again and checks:
        - every order is SHIPPED, REJECTED or PAYMENT_FAILED (else it is lost);
        - no dead letter is left, in consumer, rule or stream DLQs;
        - per sku, `available` + the units of live reservations = the initial stock, and the live
          reservations are exactly the units of SHIPPED orders;
        - per order, at most one PaymentAuthorized and one OrderShipped (distinct event ids in the
          EventBridge archive; a duplicate delivery re-emits the same derived id), a SHIPPED order
          exactly one of each, a failed one no shipment;
        - every order at an end has its NotificationSent (ADR 0020: at least once; e-mails sent
          twice are counted, not failed);
        - SNS gave up on no delivery (`NumberOfNotificationsFailed` 0): the triage would redrive one,
          so this is what shows that the queue outage lost nothing to a DLQ.

      ## Not covered (yet)
      - The restart is a clean stop (what Ctrl-C does), not a killed process: a kill can lose what
        ElasticMQ's store and the stream log had not written yet.
      - The crash *between* a handler's state change and its follow-up publish is not injected
        inside the handler; `crash-after` covers the retry of a step whose writes and publishes
        both happened, which is what idempotency and the derived event ids must absorb.
      """;
}
