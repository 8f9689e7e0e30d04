package com.example.fanout.local;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * How the runtime writes files in its data directory: replaced whole or not at all (owner-only when
 * they hold a secret), and JSON-lines logs whose last line a killed process may have cut short.
 */
public final class DataFiles {
  private DataFiles() {}

  private static final String TEMPORARY_PREFIX = ".";
  private static final String TEMPORARY_SUFFIX = ".tmp";

  /** Whether {@code file} is a temporary file of {@link #replace}, left only by a process that died mid-write. */
  public static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(TEMPORARY_PREFIX) && name.endsWith(TEMPORARY_SUFFIX);
  }

  /**
   * Writes {@code bytes} to a temporary file beside {@code file}, flushed to disk, then moves it over
   * {@code file} atomically: a stop mid-write keeps the old content. With {@code ownerOnly} the
   * temporary file is {@code rw-------} from its creation, where the file system has POSIX
   * permissions (the data directory is the developer's own; elsewhere it says nothing).
   */
  public static void replace(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
    Files.createDirectories(file.getParent());
    String prefix = TEMPORARY_PREFIX + file.getFileName() + ".";
    Path tmp;
    if (ownerOnly) {
      try {
        tmp = Files.createTempFile(file.getParent(), prefix, TEMPORARY_SUFFIX,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        tmp = Files.createTempFile(file.getParent(), prefix, TEMPORARY_SUFFIX);
      }
    } else {
      tmp = Files.createTempFile(file.getParent(), prefix, TEMPORARY_SUFFIX);
    }
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes {@code lines}, one JSON document a line, over {@code file} as {@link #replace} does. */
  public static void replaceJsonLines(Path file, List<? extends JsonNode> lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonNode line : lines) {
      text.append(EventJson.write(line)).append('\n');
    }
    replace(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
  }

  /**
   * Reads what {@link #replaceJsonLines} wrote and deletes the file, so that it is taken once (the
   * retries a stop kept, resumed at the next start); none when there is no file.
   */
  public static List<JsonNode> takeJsonLines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lines.add(EventJson.parse(line));
      }
      Files.delete(file);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Ends a last line cut short (a process killed while appending it) with a newline, so that the
   * next line appended starts clean instead of being lost with it. Nothing happens to a missing or
   * empty file, or one that ends with a newline.
   */
  public static void endCutLine(Path jsonLines) throws IOException {
    if (!Files.exists(jsonLines)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(jsonLines, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      ByteBuffer last = ByteBuffer.allocate(1);
      if (size > 0 && channel.read(last, size - 1) == 1 && last.get(0) != '\n') {
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
      }
    }
  }
}
