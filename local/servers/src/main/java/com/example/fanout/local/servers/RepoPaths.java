package com.example.fanout.local.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the repository root (where node_modules and services/ live) from anywhere inside it. */
public final class RepoPaths {
  private RepoPaths() {}

  /** The {@code fanout.repo.root} system property, else the nearest parent of the working directory holding package.json and services/. */
  public static Path root() {
    return Optional.ofNullable(System.getProperty("fanout.repo.root")).map(Path::of)
        .or(RepoPaths::search)
        .map(p -> p.toAbsolutePath().normalize())
        .orElseThrow(() -> new IllegalStateException(
            "cannot find the repository root from " + Path.of("").toAbsolutePath() + "; set -Dfanout.repo.root"));
  }

  private static Optional<Path> search() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("package.json")) && Files.isDirectory(p.resolve("services"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
