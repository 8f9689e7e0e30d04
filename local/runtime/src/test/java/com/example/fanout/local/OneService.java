package com.example.fanout.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A services directory holding one of the test catalog's services alone, for a platform of its own. */
public final class OneService {
  private OneService() {}

  /** A copy of {@code src/test/resources/services/<service>} (manifest and schemas) in a new directory under {@code target}. */
  public static Path copy(String service) {
    try {
      Path services = Files.createTempDirectory(Path.of("target"), service + "-only-services");
      Path from = Path.of("src/test/resources/services").resolve(service);
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : files.toList()) {
          Path to = services.resolve(service).resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
      return services;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
