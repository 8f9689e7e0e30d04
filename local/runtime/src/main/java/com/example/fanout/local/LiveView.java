package com.example.fanout.local;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Prints every consumer's queue depth, in-flight, DLQ and poller counters whenever they change, and every alarm state change (the first OK of each alarm aside). */
final class LiveView {
  private final LocalPlatform platform;
  private final PrintStream out;
  private List<ConsumerStatus> last = List.of();
  private int transitionsShown;

  LiveView(LocalPlatform platform, PrintStream out) {
    this.platform = platform;
    this.out = out;
  }

  void run(int everySeconds) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        List<ConsumerStatus> now = platform.status();
        if (!now.equals(last)) {
          out.print(render(now));
          last = now;
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

  static String render(List<ConsumerStatus> rows) {
    StringBuilder sb = new StringBuilder(String.format("-- %s %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
        "-".repeat(100)));
    sb.append(String.format("%-36s %8s %9s %6s %8s %8s %7s %8s %9s%n",
        "consumer", "visible", "in-flight", "DLQ", "invokes", "deleted", "failed", "throttle", "busy/max"));
    for (ConsumerStatus s : rows) {
      sb.append(String.format("%-36s %8d %9d %6d %8s %8s %7s %8s %9s%n", s.consumer(), s.visible(), s.inFlight(), s.dlq(),
          s.handlerLoaded() ? s.invocations() : "-", s.handlerLoaded() ? s.deleted() : "-",
          s.handlerLoaded() ? s.failed() : "-", s.handlerLoaded() ? s.throttled() : "-",
          s.handlerLoaded() ? s.busy() + "/" + s.maxConcurrency() : "no handler"));
    }
    return sb.toString();
  }
}
