package com.example.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncompressedJarsTest {
  private static final Instant BUILD_TIME = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dir;

  @Test
  void uncompressed_shouldKeepEveryEntryItsOrderAndItsBytes_withEachStoredAndDatedAtTheBuildTime() throws IOException {
    Map<String, String> content = new LinkedHashMap<>();
    content.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n");
    content.put("com/", "");
    content.put("com/example/A.class", "cafebabe ".repeat(500));
    content.put("META-INF/services/org.slf4j.spi.SLF4JServiceProvider", "ch.qos.logback.classic.spi.LogbackServiceProvider\n");
    Path jar = deflatedJar("lib-1.0.jar", content);

    byte[] rewritten = UncompressedJars.uncompressed(jar, BUILD_TIME);

    List<ZipEntry> entries = new ArrayList<>();
    Map<String, String> read = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(rewritten))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e);
        read.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(read).containsExactlyEntriesOf(content);
    assertThat(entries).allSatisfy(e -> {
      assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipEntry.STORED);
      assertThat(e.getTimeLocal()).as(e.getName()).isEqualTo(LocalDateTime.of(2026, 1, 1, 0, 0));
    });
  }

  @Test
  void uncompressed_shouldGiveTheSameBytes_whenRunAgainOnItsOwnOutput() throws IOException {
    Path jar = deflatedJar("lib-1.0.jar", Map.of("a/B.class", "x".repeat(2000), "a/C.class", "y".repeat(300)));
    byte[] once = UncompressedJars.uncompressed(jar, BUILD_TIME);
    Path again = Files.write(dir.resolve("again.jar"), once);

    assertThat(UncompressedJars.uncompressed(again, BUILD_TIME)).isEqualTo(once);
  }

  @Test
  void writeAll_shouldLeaveOnlyTheGivenJars_whenTheOutputHeldAnEarlierBuildsJars() throws IOException {
    Path out = Files.createDirectories(dir.resolve("function-lib"));
    Files.writeString(out.resolve("dropped-dependency-1.0.jar"), "from an earlier build");
    Path a = deflatedJar("a-1.0.jar", Map.of("a/A.class", "a"));
    Path b = deflatedJar("b-2.0.jar", Map.of("b/B.class", "b"));

    UncompressedJars.writeAll(List.of(a, b), out, BUILD_TIME);

    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("a-1.0.jar", "b-2.0.jar");
    }
  }

  @Test
  void writeAll_shouldRefuseTwoJarsOfOneName_becauseOneWouldReplaceTheOtherInLib() throws IOException {
    Path first = deflatedJar("util-1.0.jar", Map.of("x/X.class", "x"));
    Path second = Files.createDirectories(dir.resolve("other")).resolve("util-1.0.jar");
    Files.copy(first, second);

    assertThatThrownBy(() -> UncompressedJars.writeAll(List.of(first, second), dir.resolve("out"), BUILD_TIME))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("util-1.0.jar");
  }

  private Path deflatedJar(String name, Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey())); // DEFLATED, the default
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return Files.write(dir.resolve(name), bytes.toByteArray());
  }
}
