package com.example.fanout.ops;

import com.example.fanout.contract.ResourceNames;
import com.example.fanout.manifest.ScheduleExpression;
import com.example.fanout.manifest.ServiceManifest;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The scheduled jobs of the manifests, and the runs each was due in a window: what on-call runs by
 * hand once runs were lost ({@code ScheduleDlqSendFailures}, {@code DestinationDeliveryFailures}).
 * Reads only the manifests, as {@code catalog} does.
 */
@Command(name = "schedules", mixinStandardHelpOptions = true,
    description = {"Scheduled jobs, their schedule group and DLQ, and the runs due in a window, from the service manifests.", "",
        "With --from and --to (ISO-8601 instants, e.g. the times `fanout alarms --history` shows), lists each cron job's",
        "runs due in [from, to); a rate job's times follow its schedule's start, so only their number is given.",
        "Reads only the manifests (FANOUT_SERVICES_DIR / --services); works offline."})
final class SchedulesCommand implements Callable<Integer> {
  private static final String FORMAT = "%-34s %-26s %-6s %s%n";

  @Mixin
  Target target;

  @Mixin
  Output output;

  @Option(names = "--service", description = "only this service's jobs")
  String service;

  @Option(names = "--job", description = "only this job (its manifest name)")
  String job;

  @Option(names = "--from", description = "start of the window (inclusive), an ISO-8601 instant")
  String from;

  @Option(names = "--to", description = "end of the window (exclusive), an ISO-8601 instant")
  String to;

  @Option(names = "--max", description = "at most this many runs listed per job (default ${DEFAULT-VALUE})", defaultValue = "48")
  int max;

  @Spec
  CommandSpec spec;

  /**
   * One job: its names, a rate job's period ({@code every}, null for a cron job), and with a window
   * the runs due in it ({@code due}, a cron job's, at most {@code --max}) and how many there were
   * ({@code runs}; a rate job's approximately, to one).
   */
  record Job(String service, String job, String schedule, String group, String dlq, String expression, String timezone,
      Duration every, List<Instant> due, Long runs) {}

  @Override
  public Integer call() {
    if ((from == null) != (to == null)) {
      throw new OpsException(Fanout.REFUSED, "give both --from and --to, or neither");
    }
    Instant start = from == null ? null : ReplayCommand.instant("--from", from);
    Instant end = to == null ? null : ReplayCommand.instant("--to", to);
    if (start != null && !start.isBefore(end)) {
      throw new OpsException(Fanout.REFUSED, "--from must be before --to");
    }
    List<Job> jobs = new ArrayList<>();
    for (ServiceManifest m : target.catalog().services()) {
      if (service != null && !service.equals(m.service())) {
        continue;
      }
      for (ServiceManifest.Schedule s : m.schedules()) {
        if (job == null || job.equals(s.name())) {
          jobs.add(job(m.service(), s, start, end));
        }
      }
    }
    if (jobs.isEmpty()) {
      throw new OpsException(Fanout.REFUSED, "no scheduled job" + (service == null ? "" : " of " + service)
          + (job == null ? "" : " named " + job) + " in " + target.servicesDir());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, jobs);
      return 0;
    }
    out.printf(FORMAT, "schedule (and its group)", "expression", "zone", "DLQ");
    for (Job j : jobs) {
      out.printf(FORMAT, j.schedule(), j.expression(), j.timezone(), j.dlq());
      if (j.runs() == null) {
        continue;
      }
      if (j.every() != null) {
        out.printf("  %d run(s) due in the window, at times that follow the schedule's start (aws scheduler get-schedule: StartDate, CreationDate)%n",
            j.runs());
      } else {
        out.printf("  %d run(s) due in the window%s%n", j.runs(), j.runs() > j.due().size() ? ", the first " + j.due().size() + ":" : ":");
        j.due().forEach(t -> out.printf("  due %s%n", t));
      }
    }
    out.flush();
    return 0;
  }

  private Job job(String svc, ServiceManifest.Schedule s, Instant start, Instant end) {
    String env = target.env();
    ScheduleExpression expression = ScheduleExpression.parse(s.expression());
    Duration every = expression.period().orElse(null);
    List<Instant> due = new ArrayList<>();
    Long runs = null;
    if (start != null && every != null) {
      runs = Duration.between(start, end).toMillis() / every.toMillis();
    } else if (start != null) {
      ZoneId zone = s.zone();
      long count = 0;
      // The first fire time strictly after the instant before the window's start: the first at or after it.
      for (ZonedDateTime t = expression.next(start.minusNanos(1).atZone(zone), zone); t.toInstant().isBefore(end); t = expression.next(t, zone)) {
        count++;
        if (due.size() < max) {
          due.add(t.toInstant());
        }
      }
      runs = count;
    }
    return new Job(svc, s.name(), ResourceNames.function(env, svc, s.name()), ResourceNames.scheduleGroup(env, svc, s.name()),
        ResourceNames.dlq(env, svc, s.name()), s.expression(), s.zone().getId(), every, due, runs);
  }
}
