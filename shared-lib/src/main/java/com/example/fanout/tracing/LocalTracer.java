package com.example.fanout.tracing;

import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records spans in memory and, if given a file, appends each finished span to it as one JSON line,
 * so the local runtime and tests can print one order's timeline. Ids have X-Ray's shape, so headers
 * produced here pass through EventBridge and SQS unchanged.
 */
public final class LocalTracer implements Tracer {
  private final Clock clock;
  private final Path sink;
  private final ConcurrentLinkedQueue<SpanRecord> finished = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Deque<LocalSpan>> current = ThreadLocal.withInitial(ArrayDeque::new);

  public LocalTracer(Clock clock, Path sink) {
    this.clock = clock;
    this.sink = sink;
  }

  public LocalTracer() {
    this(Clock.systemUTC(), null);
  }

  /** With the JSON-lines sink at {@code FANOUT_TRACE_FILE}, if set. */
  public static LocalTracer fromEnvironment() {
    return new LocalTracer(Clock.systemUTC(), FunctionEnvironment.get("FANOUT_TRACE_FILE").map(Path::of).orElse(null));
  }

  @Override
  public Span startSegment(String name, String parentTraceHeader) {
    Optional<TraceHeader> parent = TraceHeader.parse(parentTraceHeader);
    String traceId = parent.map(TraceHeader::root).orElseGet(LocalTracer::newTraceId);
    return push(new LocalSpan(traceId, newSpanId(), parent.map(TraceHeader::parent).orElse(null), name));
  }

  @Override
  public Span subsegment(String name) {
    LocalSpan parent = current.get().peek();
    if (parent == null) {
      return startSegment(name, null);
    }
    LocalSpan child = new LocalSpan(parent.traceId, newSpanId(), parent.spanId, name);
    child.correlationId = parent.correlationId;
    child.eventId = parent.eventId;
    return push(child);
  }

  @Override
  public Optional<String> currentTraceHeader() {
    LocalSpan span = current.get().peek();
    return span == null ? Optional.empty() : Optional.of(new TraceHeader(span.traceId, span.spanId, true).toString());
  }

  /** Every finished span, in the order they finished. */
  public List<SpanRecord> spans() {
    return List.copyOf(finished);
  }

  /** The finished spans of one trace, by start time: an order's timeline. */
  public List<SpanRecord> timeline(String traceId) {
    return finished.stream().filter(s -> s.traceId().equals(traceId))
        .sorted((a, b) -> a.start().compareTo(b.start())).toList();
  }

  private LocalSpan push(LocalSpan span) {
    current.get().push(span);
    return span;
  }

  private void finish(LocalSpan span) {
    current.get().remove(span);
    SpanRecord record = new SpanRecord(span.traceId, span.spanId, span.parentId, span.name, span.correlationId,
        span.eventId, span.start, clock.instant(), span.outcome, span.error);
    finished.add(record);
    if (sink != null) {
      append(EventJson.write(record) + "\n");
    }
  }

  private synchronized void append(String line) {
    try {
      Files.writeString(sink, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to trace file " + sink, e);
    }
  }

  static String newTraceId() {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-" + HexFormat.of().formatHex(random);
  }

  static String newSpanId() {
    return HexFormat.of().withLowerCase().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  private final class LocalSpan implements Span {
    private final String traceId;
    private final String spanId;
    private final String parentId;
    private final String name;
    private final Instant start = clock.instant();
    private String correlationId;
    private String eventId;
    private String outcome;
    private String error;
    private boolean closed;

    LocalSpan(String traceId, String spanId, String parentId, String name) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.parentId = parentId;
      this.name = name;
    }

    @Override
    public String traceId() {
      return traceId;
    }

    @Override
    public String spanId() {
      return spanId;
    }

    @Override
    public Span annotate(String key, String value) {
      switch (key) {
        case CORRELATION_ID -> correlationId = value;
        case EVENT_ID -> eventId = value;
        default -> { }
      }
      return this;
    }

    @Override
    public Span outcome(String outcome) {
      this.outcome = outcome;
      return this;
    }

    @Override
    public Span error(Throwable error) {
      this.error = error.getClass().getSimpleName() + ": " + error.getMessage();
      return this;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        finish(this);
      }
    }
  }
}
