package com.example.fanout.ops;

import com.example.fanout.event.EventJson;
import com.example.fanout.publish.Sleeper;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Sends archived events of a time window through the rules again. Safe to repeat: consumers
 * deduplicate on consumer name + event id.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Replay archived events of a time window through the rules.", "",
        "Local runtime: POST /_local/replay (optionally one --correlation-id). AWS: StartReplay from the",
        "archive <env>-fanout-archive to the bus <env>-fanout, optionally only one service's rule (--service)."})
final class ReplayCommand implements Callable<Integer> {
  @Mixin
  Target target;

  @Option(names = "--from", required = true, description = "start of the window, ISO-8601 (2026-11-26T14:00:00Z)")
  String from;

  @Option(names = "--to", required = true, description = "end of the window, ISO-8601")
  String to;

  @Option(names = "--correlation-id", description = "only this order's events (local runtime only: an archive replay on AWS cannot filter by it)")
  String correlationId;

  @Option(names = "--service", description = "only the events routed by this publishing service's rule <env>-<service>-to-topic (AWS)")
  String service;

  @Option(names = "--wait", defaultValue = "600", description = "AWS: seconds to follow the replay with progress,"
      + " 0 to start it and return (default ${DEFAULT-VALUE})")
  int waitSeconds;

  @Mixin
  Output output;

  @Spec
  CommandSpec spec;

  /**
   * {@code replay -o json}. {@code target} is {@code local} or {@code aws}; locally {@code replayed} is the
   * number of archived events re-sent; on AWS {@code replayName}, {@code state} (EventBridge's, e.g.
   * COMPLETED) and {@code lastReplayed} (the event time reached) describe the replay, and a replay that
   * failed or was still running when the wait ran out is in {@code failures}.
   */
  record Replayed(String target, Instant from, Instant to, String correlationId, String service, Long replayed,
      String replayName, String state, Instant lastReplayed, List<Output.Failure> failures) {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Instant start = instant("--from", from);
    Instant end = instant("--to", to);
    if (!start.isBefore(end)) {
      throw new OpsException(Fanout.REFUSED, "--from must be before --to");
    }
    if (waitSeconds < 0) {
      throw new OpsException(Fanout.REFUSED, "--wait must be 0 or more seconds, was " + waitSeconds);
    }
    var control = target.localControl();
    if (control.isPresent()) {
      StringBuilder q = new StringBuilder("/_local/replay?from=").append(enc(start.toString())).append("&to=").append(enc(end.toString()));
      if (correlationId != null) {
        q.append("&correlationId=").append(enc(correlationId));
      }
      if (service != null) {
        output.notes(spec).println("note: the local runtime replays through every rule; each consumer's filter still applies");
      }
      long replayed = EventJson.parse(new LocalControl(control.get()).post(q.toString())).path("replayed").asLong();
      if (output.json()) {
        output.printJson(out, new Replayed("local", start, end, correlationId, service, replayed, null, null, null, List.of()));
      } else {
        out.printf("local replay %s .. %s%s: %d archived event(s) re-sent through the rules%n", start, end,
            correlationId == null ? "" : " correlation " + correlationId, replayed);
      }
      return 0;
    }
    if (correlationId != null) {
      throw new OpsException(Fanout.REFUSED, "an EventBridge archive replay cannot select one correlation id; replay the"
          + " order's time window without --correlation-id (consumers skip what they already processed), or publish"
          + " the missing event with `fanout publish`");
    }
    String bus = target.eventBusName();
    ArchiveReplay.Followed replay;
    try (EventBridgeClient events = target.eventBridge()) {
      List<String> filterArns = new ArrayList<>();
      if (service != null) {
        String rule = com.example.fanout.contract.ResourceNames.rule(target.env(), service);
        filterArns.add(events.describeRule(b -> b.name(rule).eventBusName(bus)).arn());
      }
      String name = target.physical((service == null ? "all" : service) + "-" + Instant.now().getEpochSecond());
      replay = new ArchiveReplay(events, Sleeper.system(), System::nanoTime).run(name, bus + "-archive", bus, filterArns,
          start, end, Duration.ofSeconds(waitSeconds),
          Progress.of(output.notes(spec), "window seconds replayed", ArchiveReplay.windowSeconds(start, end)));
    }
    boolean completed = "COMPLETED".equals(replay.state());
    boolean failed = !completed && !replay.stillGoing();
    List<Output.Failure> failures = completed ? List.of() : List.of(new Output.Failure(replay.name(), failed
        ? "replay " + replay.state() + (replay.reason() == null ? "" : ": " + replay.reason())
        : "still " + replay.state() + " after " + waitSeconds + " s"));
    if (output.json()) {
      output.printJson(out, new Replayed("aws", start, end, null, service, null, replay.name(), replay.state(),
          replay.lastReplayed(), failures));
    } else {
      out.printf("replay %s %s (%s .. %s)%s%n", replay.name(), replay.state(), start, end,
          replay.stillGoing() ? "; follow it with: aws events describe-replay --replay-name " + replay.name() : "");
      failures.forEach(f -> out.printf("  %s: %s%n", f.id(), f.reason()));
    }
    return failed ? Fanout.FAILED : 0;
  }

  /** {@code text} as an instant, or a refusal naming {@code option}. */
  static Instant instant(String option, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new OpsException(Fanout.REFUSED, option + " must be an ISO-8601 instant such as 2026-11-26T14:00:00Z, was " + text);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
