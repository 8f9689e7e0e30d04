package com.example.fanout.local.eventbridge;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;

/**
 * Every accepted event, as JSON lines ({@code {"archivedAt", "traceHeader", "event"}}) in
 * {@code <data dir>/archive/events.jsonl}: the local counterpart of the bus archive.
 */
public final class EventArchive implements AutoCloseable {
  private final Path file;
  private final Writer writer;

  public EventArchive(Path directory) {
    try {
      Files.createDirectories(directory);
      this.file = directory.resolve("events.jsonl");
      this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the archive in " + directory, e);
    }
  }

  public Path file() {
    return file;
  }

  public void append(ObjectNode event, String traceHeader, Instant archivedAt) {
    ObjectNode line = EventJson.mapper().createObjectNode();
    line.put("archivedAt", archivedAt.toString());
    if (traceHeader != null) {
      line.put("traceHeader", traceHeader);
    }
    line.set("event", event);
    String text = EventJson.write(line);
    synchronized (writer) {
      try {
        writer.write(text);
        writer.write('\n');
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to " + file, e);
      }
    }
  }

  /** Archived events whose event time is in [from, to) (either bound may be null) and, if given, of one correlation id. */
  public List<Archived> select(Instant from, Instant to, String correlationId) {
    List<Archived> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String text; (text = in.readLine()) != null; ) {
        if (text.isBlank() || (correlationId != null && !text.contains(correlationId))) {
          continue;
        }
        JsonNode line = EventJson.parse(text);
        ObjectNode event = (ObjectNode) line.get("event");
        Instant time = Instant.parse(event.get("time").asText());
        if ((from != null && time.isBefore(from)) || (to != null && !time.isBefore(to))) {
          continue;
        }
        if (correlationId != null && !correlationId.equals(event.path("detail").path("correlationId").asText(null))) {
          continue;
        }
        out.add(new Archived(event, line.path("traceHeader").asText(null)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  public record Archived(ObjectNode event, String traceHeader) {}

  @Override
  public void close() {
    synchronized (writer) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
