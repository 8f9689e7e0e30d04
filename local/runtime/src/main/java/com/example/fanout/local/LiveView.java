package com.example.fanout.local;

import java.io.PrintStream;
import com.example.fanout.local.lambda.FunctionFailures;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Prints every consumer's queue depth, in-flight, DLQ, SNS deliveries waiting for a retry (an outage
 * of its queue) and poller counters, and every function that
 * timed out, crashed or failed (whatever its trigger: queue, stream, HTTP, S3, schedule) with its
 * latest failure, whenever any of it changes; and every alarm state change (the first OK of each alarm aside).
 */
final class LiveView {
  private final LocalPlatform platform;
  private final PrintStream out;
  private List<ConsumerStatus> last = List.of();
  private List<FunctionFailures.Summary> lastFailures = List.of();
  private int transitionsShown;

  LiveView(LocalPlatform platform, PrintStream out) {
    this.platform = platform;
    this.out = out;
  }

  void run(int everySeconds) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        List<ConsumerStatus> now = platform.status();
        List<FunctionFailures.Summary> failures = platform.functionFailures().summaries();
        if (!now.equals(last) || !failures.equals(lastFailures)) {
          out.print(render(now, failures));
          last = now;
          lastFailures = failures;
        }
        var transitions = platform.alarms().transitions();
        for (var t : transitions.subList(Math.min(transitionsShown, transitions.size()), transitions.size())) {
          if (t.from() != com.example.fanout.local.alarms.AlarmState.INSUFFICIENT_DATA || t.to() != com.example.fanout.local.alarms.AlarmState.OK) {
            out.printf("alarm %-60s %s -> %s  %s%n", t.alarm(), t.from(), t.to(), t.runbook());
          }
        }
        transitionsShown = transitions.size();
        Thread.sleep(everySeconds * 1000L);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        return;
      }
    }
  }

  static String render(List<ConsumerStatus> rows, List<FunctionFailures.Summary> failures) {
    StringBuilder sb = new StringBuilder(String.format("-- %s %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
        "-".repeat(100)));
    sb.append(String.format("%-36s %8s %9s %6s %9s %8s %8s %7s %8s %9s%n",
        "consumer", "visible", "in-flight", "DLQ", "sns-retry", "invokes", "deleted", "failed", "throttle", "busy/max"));
    for (ConsumerStatus s : rows) {
      sb.append(String.format("%-36s %8d %9d %6d %9d %8s %8s %7s %8s %9s%n", s.consumer(), s.visible(), s.inFlight(), s.dlq(),
          s.snsRetrying(),
          s.handlerLoaded() ? s.invocations() : "-", s.handlerLoaded() ? s.deleted() : "-",
          s.handlerLoaded() ? s.failed() : "-", s.handlerLoaded() ? s.throttled() : "-",
          s.handlerLoaded() ? s.busy() + "/" + s.maxConcurrency() : "no handler"));
    }
    if (!failures.isEmpty()) {
      sb.append(String.format("%-36s %8s %9s %6s  %s%n", "function failures", "timeouts", "crashes", "errors", "latest"));
      for (FunctionFailures.Summary f : failures) {
        FunctionFailures.Failure last = f.last();
        sb.append(String.format("%-36s %8d %9d %6d  %s %s %s%n", f.function(), f.timeouts(), f.crashes(), f.errors(),
            LocalTime.ofInstant(last.at(), ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS), last.kind(),
            abbreviate(last.message())));
      }
    }
    return sb.toString();
  }

  private static String abbreviate(String message) {
    String oneLine = message.replaceAll("\\s+", " ");
    return oneLine.length() > 120 ? oneLine.substring(0, 117) + "..." : oneLine;
  }
}
