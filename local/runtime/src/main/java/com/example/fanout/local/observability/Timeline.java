package com.example.fanout.local.observability;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** One order's path (every hop, handler, time and outcome) by correlation id, oldest first. */
public final class Timeline {
  private final SpanLog spans;

  public Timeline(SpanLog spans) {
    this.spans = spans;
  }

  public List<Span> spans(String correlationId) {
    return spans.forCorrelation(correlationId).stream()
        .sorted(Comparator.comparing((Span s) -> s.start() == null ? Instant.EPOCH : s.start())
            .thenComparing(s -> s.end() == null ? Instant.EPOCH : s.end()))
        .toList();
  }

  public void print(String correlationId) {
    print(correlationId, System.out);
  }

  public void print(String correlationId, PrintStream out) {
    out.print(render(correlationId));
    out.flush();
  }

  /** The timeline as text, one hop per line: offset, duration, component, hop, event, outcome, detail. */
  public String render(String correlationId) {
    List<Span> list = spans(correlationId);
    StringBuilder sb = new StringBuilder("timeline of correlation id " + correlationId + " (" + list.size() + " hops)\n");
    if (list.isEmpty()) {
      return sb.toString();
    }
    Instant first = list.getFirst().start();
    for (Span s : list) {
      long offset = Duration.between(first, s.start()).toMillis();
      long took = s.end() == null ? 0 : Duration.between(s.start(), s.end()).toMillis();
      sb.append(String.format("%+8d ms %6d ms  %-12s %-34s %-20s %-7s %s%n",
          offset, took, nullToDash(s.component()), nullToDash(s.name()), nullToDash(s.eventType()),
          nullToDash(s.outcome()), s.detail() == null ? "" : s.detail()));
    }
    return sb.toString();
  }

  private static String nullToDash(String s) {
    return s == null ? "-" : s;
  }
}
