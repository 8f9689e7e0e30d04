package com.example.fanout.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ServiceManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** What the cold-start benchmark measures, kept: every function zip as the build packs it. */
class FunctionZipContentsTest {
  private static final Path REPO = Path.of(System.getProperty("fanout.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void everyFunctionZip_shouldCarryItsSliceAsJson_oneLoggingBackend_andNoUnusedParser() throws IOException {
    List<ServiceManifest> services = Catalog.load(REPO.resolve("services")).services();
    assertThat(services).isNotEmpty();
    for (ServiceManifest m : services) {
      Path zip = REPO.resolve("services").resolve(m.service()).resolve("target").resolve(m.service() + "-function.zip");
      List<String> entries;
      try (ZipFile z = new ZipFile(zip.toFile())) {
        entries = Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
      }

      assertThat(entries).as(zip + ": its own manifest, as JSON")
          .contains(Catalog.SLICE_ROOT + "/" + m.service() + "/" + m.service() + "/" + Catalog.SLICE_MANIFEST);
      assertThat(entries).as(zip + ": no YAML in a function")
          .noneMatch(e -> e.endsWith(".yaml") || e.startsWith("lib/snakeyaml-") || e.startsWith("lib/jackson-dataformat-yaml-"));
      assertThat(entries).as(zip + ": nothing for Powertools' correlation-id path, which no function uses")
          .noneMatch(e -> e.startsWith("lib/jmespath-") || e.startsWith("lib/jackson-datatype-joda-"));
      assertThat(entries).as(zip + ": one logging backend, Logback, configured in code (ADR 0102)")
          .anyMatch(e -> e.startsWith("lib/logback-classic-"))
          .noneMatch(e -> e.startsWith("lib/log4j-") || e.equals("log4j2.properties") || e.equals("logback.xml"));
      boolean takesS3OrScheduledEvents = !m.schedules().isEmpty() || m.buckets().stream().anyMatch(b -> b.handler() != null);
      assertThat(entries.stream().anyMatch(e -> e.startsWith("lib/joda-time-")))
          .as(zip + ": Joda-Time only where S3 or scheduled events' classes need it").isEqualTo(takesS3OrScheduledEvents);
    }
  }
}
