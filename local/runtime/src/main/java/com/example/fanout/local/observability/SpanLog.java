package com.example.fanout.local.observability;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.xray.ServiceSegments;
import com.example.fanout.local.xray.TraceStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's own hops (what each stand-in did with an event: rule matched, delivered, received,
 * faults injected, moved to a DLQ) as JSON lines in {@code runtime-spans.jsonl}, recent ones also in
 * memory for the timeline; and the {@link ServiceSegments} through which the stand-ins record the
 * X-Ray segments the AWS services would.
 */
public final class SpanLog implements AutoCloseable {
  private static final int MAX_IN_MEMORY = 200_000;

  private final Path runtimeFile;
  private final ServiceSegments segments;
  private final Writer writer;
  private final ConcurrentLinkedDeque<Span> recent = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Thread flusher;

  /** With segments kept in a store of their own (tests of one stand-in). */
  public SpanLog(Path directory) {
    this(directory, new ServiceSegments(new TraceStore()));
  }

  public SpanLog(Path directory, ServiceSegments segments) {
    this.segments = segments;
    try {
      Files.createDirectories(directory);
      this.runtimeFile = directory.resolve("runtime-spans.jsonl");
      this.writer = Files.newBufferedWriter(runtimeFile, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the span log in " + directory, e);
    }
    // Spans are buffered and flushed a few times a second: a flush per hop costs throughput.
    this.flusher = Thread.ofPlatform().daemon().name("span-log-flush").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(250);
          flush();
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** Where the stand-ins record the X-Ray segments of the AWS services they stand in for. */
  public ServiceSegments segments() {
    return segments;
  }

  public void flush() {
    synchronized (writer) {
      try {
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to " + runtimeFile, e);
      }
    }
  }

  public Path runtimeFile() {
    return runtimeFile;
  }

  /** Records one hop that took no measurable time. */
  public Span hop(String component, String name, EventRef ref, String traceId, String outcome, String detail) {
    Instant now = Instant.now();
    return record(component, name, ref, traceId, now, now, outcome, detail);
  }

  public Span record(String component, String name, EventRef ref, String traceId, Instant start, Instant end,
      String outcome, String detail) {
    Span span = new Span(traceId, newSpanId(), null, name, ref.correlationId(), ref.eventId(), ref.eventType(),
        start, end, outcome, component, detail);
    add(span);
    return span;
  }

  private void add(Span span) {
    recent.addLast(span);
    if (size.incrementAndGet() > MAX_IN_MEMORY) {
      recent.pollFirst();
      size.decrementAndGet();
    }
    String line = EventJson.write(span);
    synchronized (writer) {
      try {
        writer.write(line);
        writer.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to " + runtimeFile, e);
      }
    }
  }

  /** The runtime's hops of one correlation id, in no particular order. */
  public List<Span> forCorrelation(String correlationId) {
    List<Span> out = new ArrayList<>();
    for (Span s : recent) {
      if (correlationId.equals(s.correlationId())) {
        out.add(s);
      }
    }
    return out;
  }

  public List<Span> all() {
    return List.copyOf(recent);
  }

  public static String newSpanId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** A new X-Ray trace id, {@code 1-<epoch seconds hex>-<96 random bits hex>}. */
  public static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-"
        + HexFormat.of().toHexDigits(r.nextInt()) + HexFormat.of().toHexDigits(r.nextLong());
  }

  /** The {@code Root=} part of an X-Ray trace header, or null. */
  public static String traceIdOf(String traceHeader) {
    if (traceHeader == null) {
      return null;
    }
    for (String part : traceHeader.split(";")) {
      String p = part.trim();
      if (p.startsWith("Root=")) {
        return p.substring(5);
      }
    }
    return null;
  }

  @Override
  public void close() {
    flusher.interrupt();
    synchronized (writer) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
