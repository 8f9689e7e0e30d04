package com.example.fanout.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directories the build and the benchmarks write afresh. */
public final class Directories {
  private Directories() {}

  /** Deletes {@code dir} and everything in it, if it exists: what an earlier run put there must not stay. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> old = Files.walk(dir)) {
      for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
