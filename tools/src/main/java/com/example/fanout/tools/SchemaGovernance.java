package com.example.fanout.tools;

import com.example.fanout.event.EventJson;
import com.example.fanout.event.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build's rules for schema files under {@code services/*}{@code /schemas/}: a published version
 * is never edited in place (its SHA-256 is recorded in {@code schemas.lock}), never deleted, and each
 * new version is backward compatible with the one before.
 */
public final class SchemaGovernance {
  public static final String LOCK_FILE = "schemas.lock";
  private static final Pattern SCHEMA_FILE = Pattern.compile("^([A-Z][A-Za-z0-9]+)\\.v(\\d+)\\.json$");

  private final Path repoRoot;

  public SchemaGovernance(Path repoRoot) {
    this.repoRoot = repoRoot;
  }

  /** Every rule broken, each as one line an author can act on; empty when all is well. */
  public List<String> check() {
    List<String> problems = new ArrayList<>();
    Map<String, String> locked = readLock();
    Map<String, String> actual = hashes();
    locked.forEach((file, hash) -> {
      String now = actual.get(file);
      if (now == null) {
        problems.add(file + ": published schema version was deleted; versions are immutable, keep the file");
      } else if (!now.equals(hash)) {
        problems.add(file + ": published schema version was edited in place (sha256 " + hash.substring(0, 12)
            + "... is now " + now.substring(0, 12) + "...); restore it and add a new version instead");
      }
    });
    actual.keySet().stream().filter(f -> !locked.containsKey(f)).forEach(f ->
        problems.add(f + ": not recorded in " + LOCK_FILE + "; run `make schemas-lock` once the version is final"));
    problems.addAll(compatibility());
    return problems;
  }

  /** Breaking changes between consecutive versions of each event type. */
  public List<String> compatibility() {
    List<String> problems = new ArrayList<>();
    Map<String, TreeMap<Integer, Path>> versions = new TreeMap<>();
    for (Path file : schemaFiles()) {
      Matcher m = SCHEMA_FILE.matcher(file.getFileName().toString());
      if (m.matches()) {
        versions.computeIfAbsent(file.getParent() + "/" + m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), file);
      } else {
        problems.add(relative(file) + ": schema files are named <Type>.v<version>.json");
      }
    }
    versions.values().forEach(byVersion -> {
      Path previous = null;
      int expected = 1;
      for (var e : byVersion.entrySet()) {
        if (e.getKey() != expected) {
          problems.add(relative(e.getValue()) + ": version " + e.getKey() + " follows version " + (expected - 1) + "; versions are consecutive");
        }
        if (previous != null) {
          for (String change : SchemaCompatibility.breakingChanges(read(previous), read(e.getValue()))) {
            problems.add(relative(e.getValue()) + ": not backward compatible with " + previous.getFileName() + ": " + change);
          }
        }
        previous = e.getValue();
        expected = e.getKey() + 1;
      }
    });
    return problems;
  }

  /** Adds the files not yet recorded; never rewrites an existing line. Returns the files added. */
  public List<String> recordNewVersions() {
    Map<String, String> locked = readLock();
    List<String> added = new ArrayList<>();
    StringBuilder append = new StringBuilder();
    hashes().forEach((file, hash) -> {
      if (!locked.containsKey(file)) {
        append.append(hash).append("  ").append(file).append('\n');
        added.add(file);
      }
    });
    try {
      Path lock = repoRoot.resolve(LOCK_FILE);
      if (!Files.exists(lock)) {
        Files.writeString(lock, "# SHA-256 of every published event schema version. Lines are only ever added (make schemas-lock).\n");
      }
      Files.writeString(lock, append.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return added;
  }

  Map<String, String> readLock() {
    Path lock = repoRoot.resolve(LOCK_FILE);
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(lock)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(lock)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] parts = l.split("\\s+", 2);
        out.put(parts[1], parts[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private Map<String, String> hashes() {
    Map<String, String> out = new TreeMap<>();
    for (Path f : schemaFiles()) {
      out.put(relative(f), sha256(f));
    }
    return out;
  }

  private List<Path> schemaFiles() {
    Path services = repoRoot.resolve("services");
    List<Path> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(services)) {
      for (Path dir : dirs.sorted().toList()) {
        Path schemas = dir.resolve("schemas");
        if (Files.isDirectory(schemas)) {
          try (Stream<Path> files = Files.list(schemas)) {
            files.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f)).sorted().forEach(out::add);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + services, e);
    }
    return out;
  }

  private String relative(Path file) {
    return repoRoot.relativize(file).toString().replace('\\', '/');
  }

  private static JsonNode read(Path file) {
    try {
      return EventJson.mapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String sha256(Path file) {
    try {
      // Line endings are normalised so a checkout with CRLF does not look like an edit.
      String text = Files.readString(file).replace("\r\n", "\n");
      return Sha256.hex(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
