package com.example.fanout.local.observability;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
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
 * The runtime's own spans (every hop it performs) as JSON lines in {@code runtime-spans.jsonl}, plus
 * the spans the functions write to {@code function-spans.jsonl} (their {@code FANOUT_TRACE_FILE}).
 * Recent runtime spans are also kept in memory for the timeline.
 */
public final class SpanLog implements AutoCloseable {
  private static final int MAX_IN_MEMORY = 200_000;

  private final Path runtimeFile;
  private final Path functionFile;
  private final Writer writer;
  private final ConcurrentLinkedDeque<Span> recent = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Thread flusher;

  public SpanLog(Path directory) {
    try {
      Files.createDirectories(directory);
      this.runtimeFile = directory.resolve("runtime-spans.jsonl");
      this.functionFile = directory.resolve("function-spans.jsonl");
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

  public void flush() {
    synchronized (writer) {
      try {
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to " + runtimeFile, e);
      }
    }
  }

  /** The file functions write their spans to (set as their {@code FANOUT_TRACE_FILE}). */
  public Path functionFile() {
    return functionFile;
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

  /** Every span of one correlation id, the runtime's and the functions', in no particular order. */
  public List<Span> forCorrelation(String correlationId) {
    List<Span> out = new ArrayList<>();
    for (Span s : recent) {
      if (correlationId.equals(s.correlationId())) {
        out.add(s);
      }
    }
    out.addAll(readFunctionSpans(correlationId));
    return out;
  }

  public List<Span> all() {
    return List.copyOf(recent);
  }

  private List<Span> readFunctionSpans(String correlationId) {
    if (!Files.isRegularFile(functionFile)) {
      return List.of();
    }
    List<Span> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(functionFile, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.contains(correlationId)) {
          continue;
        }
        try {
          JsonNode n = EventJson.parse(line);
          if (correlationId.equals(n.path("correlationId").asText(null))) {
            out.add(new Span(text(n, "traceId"), text(n, "spanId"), text(n, "parentId"), text(n, "name"),
                correlationId, text(n, "eventId"), text(n, "eventType"), instant(n.get("start")), instant(n.get("end")),
                text(n, "outcome"), n.has("component") ? text(n, "component") : "function", text(n, "detail")));
          }
        } catch (RuntimeException malformed) {
          // A half-written last line or a foreign line: the timeline shows what it can read.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + functionFile, e);
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return Instant.ofEpochMilli(v.longValue());
    }
    return Instant.parse(v.asText());
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
