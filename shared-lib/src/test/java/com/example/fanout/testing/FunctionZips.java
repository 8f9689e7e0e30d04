package com.example.fanout.testing;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.FunctionPackages;
import com.example.fanout.manifest.ServiceManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The build step that writes a service's deployment zips (ADR 0107): one per set of optional SDK
 * clients its functions leave out ({@link FunctionPackages}), each with the service's classes at the
 * root and, in {@code lib/}, every jar of {@code target/function-lib} (stored uncompressed by
 * {@link UncompressedJars}, ADR 0106) but those of the clients it leaves out. Entries are sorted
 * and dated with the build's timestamp, so two builds give the same bytes. Zips an earlier build
 * wrote are removed first. Run by every service module at {@code package} (the parent POM's
 * {@code lambda-function} profile); it lives in shared-lib's test fixtures so that no zip carries it.
 *
 * <pre>FunctionZips &lt;services dir&gt; &lt;service&gt; &lt;classes dir&gt; &lt;function-lib dir&gt; &lt;target dir&gt; &lt;timestamp&gt;</pre>
 */
public final class FunctionZips {
  private FunctionZips() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 6) {
      throw new IllegalArgumentException(
          "usage: FunctionZips <services dir> <service> <classes dir> <function-lib dir> <target dir> <timestamp>");
    }
    // `make package` lists every zip with its size and hash once all services are built.
    write(Path.of(args[0]), args[1], Path.of(args[2]), Path.of(args[3]), Path.of(args[4]), Instant.parse(args[5]));
  }

  /** Writes the service's zips into {@code targetDir}; returns them, those that leave out fewer clients first. */
  public static List<Path> write(Path servicesDir, String service, Path classesDir, Path libDir, Path targetDir, Instant time)
      throws IOException {
    Catalog catalog = Catalog.load(servicesDir);
    ServiceManifest m = catalog.service(service)
        .orElseThrow(() -> new IllegalArgumentException("no service named '" + service + "' in " + servicesDir));
    FunctionPackages packages = FunctionPackages.of(catalog, m);
    try (Stream<Path> old = Files.list(targetDir)) {
      for (Path p : old.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(service) + "-function.*\\.zip")).toList()) {
        Files.delete(p);
      }
    }
    List<Path> jars;
    try (Stream<Path> lib = Files.list(libDir)) {
      jars = lib.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
    List<Path> written = new ArrayList<>();
    for (String zipName : packages.zips()) {
      List<Path> kept = new ArrayList<>(jars);
      for (String client : packages.leftOutOf(zipName)) {
        for (String artifact : FunctionPackages.CLIENT_JARS.get(client)) {
          List<Path> theirs = jars.stream().filter(j -> isJarOf(j, artifact)).toList();
          if (theirs.isEmpty()) {
            throw new IllegalStateException(zipName + " leaves out the " + client + " client, but " + libDir + " has no "
                + artifact + " jar: FunctionPackages.CLIENT_JARS no longer matches the SDK's dependencies");
          }
          kept.removeAll(theirs);
        }
      }
      Path zip = targetDir.resolve(zipName);
      zip(classesDir, kept, zip, time);
      written.add(zip);
    }
    return written;
  }

  /** {@code <artifact>-<version>.jar}: {@code s3-2.57.8.jar} is s3's, {@code s3-transfer-manager-...} is not. */
  static boolean isJarOf(Path jar, String artifact) {
    String name = jar.getFileName().toString();
    return name.startsWith(artifact + "-") && Character.isDigit(name.charAt(artifact.length() + 1));
  }

  private static void zip(Path classesDir, List<Path> jars, Path zip, Instant time) throws IOException {
    LocalDateTime dosTime = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
    Set<String> entries = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classesDir)) {
      files.filter(p -> !p.equals(classesDir))
          .forEach(p -> entries.add(classesDir.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : "")));
    }
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.setLevel(Deflater.BEST_COMPRESSION);
      for (String name : entries) {
        put(out, name, name.endsWith("/") ? null : classesDir.resolve(name), dosTime);
      }
      put(out, "lib/", null, dosTime);
      for (Path jar : jars) {
        put(out, "lib/" + jar.getFileName(), jar, dosTime);
      }
    }
  }

  private static void put(ZipOutputStream out, String name, Path file, LocalDateTime time) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTimeLocal(time);
    out.putNextEntry(entry);
    if (file != null) {
      Files.copy(file, out);
    }
    out.closeEntry();
  }
}
