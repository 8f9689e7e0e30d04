package com.example.fanout.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The build step that gives a function zip its library jars with every entry stored, not deflated
 * (ADR 0106). The zip then deflates each jar as one stream across all its classes. Before, it held
 * jars whose classes were deflated one by one and could shrink them no further: inventory's zip went
 * from 14.6 to 10.2 MB. Each jar keeps its entries, their order and their bytes. Only the
 * compression changes, and every entry's time becomes the build's timestamp, so the zips stay
 * reproducible. Run by every service module at {@code package}, before {@link FunctionZips} (the
 * parent POM's {@code lambda-function} profile). It lives in shared-lib's test fixtures so that no
 * function zip carries it.
 *
 * <pre>UncompressedJars &lt;class path file&gt; &lt;output dir&gt; &lt;timestamp, ISO-8601&gt;</pre>
 *
 * The class path file is what {@code dependency:build-classpath} writes for the runtime scope. The
 * output directory is emptied first, so a dependency dropped from the POM leaves no jar behind.
 */
public final class UncompressedJars {
  private UncompressedJars() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: UncompressedJars <class path file> <output dir> <timestamp>");
    }
    String classPath = Files.readString(Path.of(args[0])).trim();
    List<Path> jars = classPath.isEmpty() ? List.of()
        : List.of(classPath.split(java.io.File.pathSeparator)).stream().map(Path::of).toList();
    writeAll(jars, Path.of(args[1]), Instant.parse(args[2]));
  }

  /** Empties {@code dir}, then writes each jar there under its own file name; returns the files written. */
  public static List<Path> writeAll(List<Path> jars, Path dir, Instant time) throws IOException {
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    Set<String> names = new HashSet<>();
    List<Path> written = new ArrayList<>();
    for (Path jar : jars) {
      String name = jar.getFileName().toString();
      if (!name.endsWith(".jar")) {
        throw new IllegalArgumentException(jar + " is not a jar: a function's runtime class path holds jars only");
      }
      if (!names.add(name)) {
        throw new IllegalStateException("two runtime dependencies are both named " + name + ": they would overwrite each other in lib/");
      }
      Path target = dir.resolve(name);
      Files.write(target, uncompressed(jar, time));
      written.add(target);
    }
    return Collections.unmodifiableList(written);
  }

  /** The jar's bytes with every entry stored, in its central directory's order, each dated {@code time}. */
  public static byte[] uncompressed(Path jar, Instant time) throws IOException {
    LocalDateTime dosTime = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Files.size(jar) * 3);
    try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
      in.stream().forEachOrdered(entry -> {
        try (InputStream data = in.getInputStream(entry)) {
          byte[] content = data.readAllBytes();
          CRC32 crc = new CRC32();
          crc.update(content);
          ZipEntry stored = new ZipEntry(entry.getName());
          stored.setMethod(ZipEntry.STORED);
          stored.setSize(content.length);
          stored.setCompressedSize(content.length);
          stored.setCrc(crc.getValue());
          stored.setTimeLocal(dosTime);
          out.putNextEntry(stored);
          out.write(content);
          out.closeEntry();
        } catch (IOException e) {
          throw new UncheckedIOException(jar + ": " + entry.getName(), e);
        }
      });
    }
    return bytes.toByteArray();
  }
}
