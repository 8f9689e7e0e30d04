package com.example.fanout.ops;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import software.amazon.awssdk.services.eventbridge.model.StartReplayResponse;

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

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Instant start = instant("--from", from);
    Instant end = instant("--to", to);
    if (!start.isBefore(end)) {
      throw new OpsException(Fanout.REFUSED, "--from must be before --to");
    }
    var control = target.localControl();
    if (control.isPresent()) {
      StringBuilder q = new StringBuilder("/_local/replay?from=").append(enc(start.toString())).append("&to=").append(enc(end.toString()));
      if (correlationId != null) {
        q.append("&correlationId=").append(enc(correlationId));
      }
      if (service != null) {
        out.println("note: the local runtime replays through every rule; each consumer's filter still applies");
      }
      out.println("local replay " + start + " .. " + end + (correlationId == null ? "" : " correlation " + correlationId)
          + ": " + new LocalControl(control.get()).post(q.toString()));
      return 0;
    }
    if (correlationId != null) {
      throw new OpsException(Fanout.REFUSED, "an EventBridge archive replay cannot select one correlation id; replay the"
          + " order's time window without --correlation-id (consumers skip what they already processed), or publish"
          + " the missing event with `fanout publish`");
    }
    String bus = target.eventBusName();
    String archive = bus + "-archive";
    try (EventBridgeClient events = target.eventBridge()) {
      String archiveArn = events.describeArchive(b -> b.archiveName(archive)).archiveArn();
      String busArn = events.describeEventBus(b -> b.name(bus)).arn();
      List<String> filterArns = new ArrayList<>();
      if (service != null) {
        String rule = com.example.fanout.contract.ResourceNames.rule(target.env(), service);
        filterArns.add(events.describeRule(b -> b.name(rule).eventBusName(bus)).arn());
      }
      String name = target.physical((service == null ? "all" : service) + "-" + Instant.now().getEpochSecond());
      StartReplayResponse r = events.startReplay(b -> b.replayName(name).eventSourceArn(archiveArn)
          .eventStartTime(start).eventEndTime(end)
          .destination(d -> d.arn(busArn).filterArns(filterArns.isEmpty() ? null : filterArns)));
      out.printf("replay %s %s (%s .. %s); follow it with: aws events describe-replay --replay-name %s%n",
          name, r.stateAsString(), start, end, name);
    }
    return 0;
  }

  private static Instant instant(String option, String text) {
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
