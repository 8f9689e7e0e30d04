package com.example.fanout.ops;

import com.example.fanout.contract.AlarmKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * The environment's alarms with their state and, for each, its runbook. Locally the runtime
 * evaluates them ({@code /_local/alarms}); on AWS, CloudWatch {@code DescribeAlarms} with the
 * {@code <env>-} prefix.
 */
@Command(name = "alarms", mixinStandardHelpOptions = true,
    description = {"Alarm states (not OK first) and each alarm's runbook.", "",
        "Local runtime (FANOUT_LOCAL_CONTROL_URL set): the alarms it evaluates on its clock. On AWS:",
        "CloudWatch DescribeAlarms for the alarms named <env>-...", "",
        "-o json: {\"alarms\": [{state, name, since, reason, runbook}], \"transitions\": [...]} (transitions with --history)."})
final class AlarmsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORMAT = "%-17s %-64s %s%n";

  @Mixin
  Target target;

  @Option(names = "--all", description = "also the alarms in OK")
  boolean all;

  @Option(names = "--history", description = "the state changes so far (local runtime only)")
  boolean history;

  @Mixin
  Output output;

  @Spec
  CommandSpec spec;

  record Row(String state, String name, String since, String reason) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Row> rows = new ArrayList<>();
    JsonNode local = null;
    var control = target.localControl();
    if (control.isPresent()) {
      local = parse(new LocalControl(control.get()).get("/_local/alarms"));
      for (JsonNode a : local.path("alarms")) {
        rows.add(new Row(a.path("state").asText(), a.path("name").asText(), a.path("since").asText(), a.path("reason").asText()));
      }
    } else {
      try (CloudWatchClient cloudWatch = target.cloudWatch()) {
        for (MetricAlarm a : cloudWatch.describeAlarmsPaginator(b -> b.alarmNamePrefix(target.env() + "-")).metricAlarms()) {
          rows.add(new Row(a.stateValueAsString(), a.alarmName(), String.valueOf(a.stateUpdatedTimestamp()), a.stateReason()));
        }
      }
    }
    rows.sort((a, b) -> a.state().equals(b.state()) ? a.name().compareTo(b.name()) : rank(a.state()) - rank(b.state()));
    if (output.json()) {
      printJson(out, rows, local);
      return 0;
    }
    long shown = 0;
    out.printf(FORMAT, "state", "alarm", "since / reason / runbook");
    for (Row r : rows) {
      if (!all && r.state().equals("OK")) {
        continue;
      }
      shown++;
      out.printf(FORMAT, r.state(), r.name(), r.since());
      out.printf("%-17s %-64s %s%n", "", "", r.reason());
      out.printf("%-17s %-64s %s%n", "", "", runbook(r.name()));
    }
    long ok = rows.stream().filter(r -> r.state().equals("OK")).count();
    out.printf("%d alarm(s), %d in ALARM, %d OK%s%n", rows.size(), rows.stream().filter(r -> r.state().equals("ALARM")).count(),
        ok, all || ok == 0 ? "" : " (not shown; --all shows them)");
    if (history && local != null) {
      out.println("\nstate changes:");
      for (JsonNode t : local.path("transitions")) {
        out.printf("  %s %s %s -> %s: %s%n", t.path("at").asText(), t.path("alarm").asText(), t.path("from").asText(),
            t.path("to").asText(), t.path("reason").asText());
      }
    }
    out.flush();
    return 0;
  }

  /** {@code {"alarms": [{state, name, since, reason, runbook}], "transitions": [...]}}; transitions with {@code --history}, locally. */
  private void printJson(PrintWriter out, List<Row> rows, JsonNode local) {
    List<java.util.Map<String, String>> alarms = new ArrayList<>();
    for (Row r : rows) {
      if (all || !r.state().equals("OK")) {
        java.util.Map<String, String> alarm = new java.util.LinkedHashMap<>();
        alarm.put("state", r.state());
        alarm.put("name", r.name());
        alarm.put("since", r.since());
        alarm.put("reason", r.reason());
        alarm.put("runbook", runbookPath(r.name()).orElse(null));
        alarms.add(alarm);
      }
    }
    java.util.Map<String, Object> document = new java.util.LinkedHashMap<>();
    document.put("alarms", alarms);
    if (history && local != null) {
      document.put("transitions", local.path("transitions"));
    }
    output.printJson(out, document);
  }

  private static Optional<String> runbookPath(String alarmName) {
    try {
      return Optional.of(AlarmKind.of(alarmName.substring(alarmName.lastIndexOf('-') + 1)).runbook());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static int rank(String state) {
    return switch (state) {
      case "ALARM" -> 0;
      case "INSUFFICIENT_DATA" -> 1;
      default -> 2;
    };
  }

  /** The runbook of the alarm's kind (its name's last segment), with the first sentence of its Meaning. */
  private String runbook(String alarmName) {
    return runbookPath(alarmName).map(path -> "runbook: " + path + meaning(path).map(m -> " - " + m).orElse(""))
        .orElse("runbook: none for kind " + alarmName.substring(alarmName.lastIndexOf('-') + 1));
  }

  private Optional<String> meaning(String runbookPath) {
    Path file = target.servicesDir().toAbsolutePath().getParent().resolve(runbookPath);
    try {
      List<String> lines = Files.readAllLines(file);
      int at = lines.indexOf("## Meaning");
      for (int i = at + 1; at >= 0 && i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          String text = lines.get(i).strip();
          int end = text.indexOf(". ");
          return Optional.of(end > 0 ? text.substring(0, end + 1) : text);
        }
      }
    } catch (IOException e) {
      // not run from a checkout: the path alone
    }
    return Optional.empty();
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new OpsException(Fanout.FAILED, "the local runtime answered /_local/alarms with something that is not JSON: " + e);
    }
  }
}
