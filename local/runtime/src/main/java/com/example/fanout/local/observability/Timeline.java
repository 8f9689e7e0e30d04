package com.example.fanout.local.observability;

import com.example.fanout.local.xray.TraceStore;
import com.example.fanout.tracing.TimelineFormat;
import com.example.fanout.tracing.TraceEntity;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One order's path by correlation id, oldest first: the X-Ray segments and subsegments of every trace
 * that carries the correlation id as an annotation (the AWS services' segments the runtime records and
 * the functions' own, through the daemon stand-in), merged with the runtime's hops (what each
 * stand-in did: receives, retries, faults, DLQ moves).
 */
public final class Timeline {
  private final SpanLog spans;
  private final TraceStore traces;

  public Timeline(SpanLog spans, TraceStore traces) {
    this.spans = spans;
    this.traces = traces;
  }

  /** The X-Ray traces of one correlation id (one, when every hop propagated the trace header). */
  public List<String> traceIds(String correlationId) {
    return traces.tracesAnnotated(com.example.fanout.tracing.Span.CORRELATION_ID, correlationId);
  }

  public List<Span> spans(String correlationId) {
    List<Span> all = new ArrayList<>(spans.forCorrelation(correlationId));
    for (String traceId : traceIds(correlationId)) {
      traces.trace(traceId).forEach(e -> all.add(row(e, correlationId)));
    }
    return all.stream()
        .sorted(Comparator.comparing((Span s) -> s.start() == null ? Instant.EPOCH : s.start())
            .thenComparing(s -> s.end() == null ? Instant.EPOCH : s.end()))
        .toList();
  }

  /** A segment as a timeline row: component from its origin, outcome from its annotation or fault flags. */
  static Span row(TraceEntity e, String correlationId) {
    String correlation = e.annotation(com.example.fanout.tracing.Span.CORRELATION_ID);
    return new Span(e.traceId(), e.id(), e.parentId(), e.name(), correlation != null ? correlation : correlationId,
        e.annotation(com.example.fanout.tracing.Span.EVENT_ID), e.annotation(com.example.fanout.tracing.Span.EVENT_TYPE),
        e.start(), e.end(), TimelineFormat.outcome(e), TimelineFormat.component(e), TimelineFormat.detail(e));
  }

  public void print(String correlationId) {
    print(correlationId, System.out);
  }

  public void print(String correlationId, PrintStream out) {
    out.print(render(correlationId));
    out.flush();
  }

  /** The timeline as text, one hop per line ({@link TimelineFormat}, as {@code fanout timeline} prints it from X-Ray). */
  public String render(String correlationId) {
    List<Span> list = spans(correlationId);
    StringBuilder sb = new StringBuilder(TimelineFormat.header(correlationId, list.size()));
    if (list.isEmpty()) {
      return sb.toString();
    }
    Instant first = list.getFirst().start();
    for (Span s : list) {
      sb.append(TimelineFormat.line(first, s.start(), s.end(), s.component(), s.name(), s.eventType(), s.outcome(), s.detail()));
    }
    return sb.toString();
  }
}
