package com.example.fanout.local.dynamodb;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the streams outlive a restart of the platform: each table's records, appended as they are
 * numbered ({@code <table>.jsonl}), and each mapping's checkpoint per lane ({@code <mapping>.checkpoints},
 * the last sequence number the lane handled, replaced after every batch). A restart reads the
 * records back into the Streams API's log and offers every mapping what lies after its checkpoints,
 * so a record written just before the stop still reaches its function: at least once, as Lambda
 * resumes a shard from its last checkpoint. {@link #memory()} keeps nothing.
 */
final class StreamStore {
  private static final Logger LOG = LoggerFactory.getLogger(StreamStore.class);

  private final Path directory;
  private final Map<String, BufferedWriter> logs = new ConcurrentHashMap<>();

  private StreamStore(Path directory) {
    this.directory = directory;
  }

  static StreamStore memory() {
    return new StreamStore(null);
  }

  static StreamStore in(Path directory) {
    try {
      Files.createDirectories(directory);
      try (var leftovers = Files.newDirectoryStream(directory, DataFiles::isTemporary)) {
        for (Path leftover : leftovers) {
          Files.deleteIfExists(leftover); // a checkpoint cut short; the one it was replacing stands
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
    return new StreamStore(directory);
  }

  /** The records kept for {@code table}, oldest first; a line cut short by a killed process is skipped. */
  List<StreamLog.Entry> load(String table) {
    if (directory == null || !Files.exists(logFile(table))) {
      return List.of();
    }
    List<StreamLog.Entry> entries = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(logFile(table), StandardCharsets.UTF_8)) {
        try {
          JsonNode json = EventJson.mapper().readTree(line);
          entries.add(new StreamLog.Entry(json.get("sequenceNumber").asLong(), json.get("record"),
              Instant.parse(json.get("written").asText())));
        } catch (IOException | RuntimeException e) {
          LOG.warn("{}: skipped an unreadable stream record line ({})", logFile(table), e.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + logFile(table), e);
    }
    return entries;
  }

  /** Called in sequence-number order, under the table's emit lock. */
  void append(String table, StreamLog.Entry entry) {
    if (directory == null) {
      return;
    }
    ObjectNode line = EventJson.mapper().createObjectNode();
    line.put("sequenceNumber", entry.sequenceNumber());
    line.put("written", entry.written().toString());
    line.set("record", entry.streamsForm());
    try {
      BufferedWriter writer = logs.computeIfAbsent(table, this::open);
      writer.write(EventJson.write(line));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + logFile(table), e);
    }
  }

  /**
   * The mapping's checkpoint per lane; 0 (before every record) when none was kept. A checkpoint
   * written with another number of lanes gives each lane the lowest of them: records are offered
   * again rather than skipped.
   */
  long[] checkpoints(String mapping, int lanes) {
    long[] out = new long[lanes];
    if (directory == null || !Files.exists(checkpointFile(mapping))) {
      return out;
    }
    Path file = checkpointFile(mapping);
    try {
      long[] kept = EventJson.mapper().readValue(file.toFile(), long[].class);
      if (kept.length == lanes) {
        return kept;
      }
      Arrays.fill(out, Arrays.stream(kept).min().orElse(0));
      return out;
    } catch (IOException e) {
      LOG.warn("{}: unreadable checkpoints, the stream is offered from its start ({})", file, e.toString());
      return out;
    }
  }

  /** Replaces the mapping's checkpoints (a temporary file moved into place, so a stop mid-write keeps the old ones). */
  void checkpoint(String mapping, long[] lanes) {
    if (directory == null) {
      return;
    }
    Path file = checkpointFile(mapping);
    try {
      DataFiles.replace(file, EventJson.write(lanes).getBytes(StandardCharsets.UTF_8), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  void close() {
    logs.values().forEach(w -> {
      try {
        w.close();
      } catch (IOException e) {
        LOG.warn("closing a stream log failed: {}", e.toString());
      }
    });
  }

  private BufferedWriter open(String table) {
    try {
      DataFiles.endCutLine(logFile(table)); // the cut line stays unreadable on its own; the next record starts clean
      return Files.newBufferedWriter(logFile(table), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + logFile(table), e);
    }
  }

  private Path logFile(String table) {
    return directory.resolve(table + ".jsonl");
  }

  private Path checkpointFile(String mapping) {
    return directory.resolve(mapping + ".checkpoints");
  }
}
