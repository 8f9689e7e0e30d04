package com.example.fanout.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ServiceManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** What the cold-start benchmark measures, kept: every function zip as the build packs it. */
class FunctionZipContentsTest {
  private static final Path REPO = Path.of(System.getProperty("fanout.repo.root", "..")).toAbsolutePath().normalize();
  private static final String SDK_SERVICES = "software/amazon/awssdk/services/";

  @Test
  void everyFunctionZip_shouldCarryItsSliceAsJson_oneLoggingBackend_onlyTheClientsItCalls_andNoUnusedParser() throws IOException {
    List<ServiceManifest> services = Catalog.load(REPO.resolve("services")).services();
    assertThat(services).isNotEmpty();
    for (ServiceManifest m : services) {
      Path zip = zipOf(m);
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
      assertThat(serviceClientsIn(zip)).as(zip + ": the AWS SDK service clients its manifest calls for, and no other")
          .containsExactlyInAnyOrderElementsOf(serviceClientsCalledFor(m));
      boolean takesS3OrScheduledEvents = !m.schedules().isEmpty() || m.buckets().stream().anyMatch(b -> b.handler() != null);
      assertThat(entries.stream().anyMatch(e -> e.startsWith("lib/joda-time-")))
          .as(zip + ": Joda-Time only where S3 or scheduled events' classes need it").isEqualTo(takesS3OrScheduledEvents);
    }
  }

  @Test
  void everyFunctionZip_shouldHoldItsJarsWithTheirEntriesStored_soThatTheZipDeflatesEachJarWhole() throws IOException {
    for (ServiceManifest m : Catalog.load(REPO.resolve("services")).services()) {
      Path zip = zipOf(m);
      List<String> deflatedInJars = new ArrayList<>();
      forEachEntryOfItsJars(zip, (jar, e) -> {
        assertThat(jar.getMethod()).as(jar.getName() + " in " + zip + ": the zip deflates the jar whole").isEqualTo(ZipEntry.DEFLATED);
        if (e.getMethod() != ZipEntry.STORED) {
          deflatedInJars.add(jar.getName() + "!" + e.getName());
        }
      });
      assertThat(deflatedInJars).as(zip + ": jar entries deflated one by one (ADR 0106)").isEmpty();
    }
  }

  /**
   * SQS, EventBridge and DynamoDB for the consumer runtime; S3 for a bucket or the claim check;
   * Secrets Manager for the service's secrets; SES or SSM where a function's role grants them.
   */
  private static Set<String> serviceClientsCalledFor(ServiceManifest m) {
    Set<String> clients = new TreeSet<>(Set.of("sqs", "eventbridge", "dynamodb"));
    if (!m.buckets().isEmpty() || !m.claimCheckTypes().isEmpty()) {
      clients.add("s3");
    }
    if (!m.secrets().isEmpty()) {
      clients.add("secretsmanager");
    }
    Set<String> granted = functions(m).flatMap(f -> f.access().permissions().stream())
        .flatMap(p -> p.actions().stream()).map(a -> a.substring(0, a.indexOf(':'))).collect(Collectors.toSet());
    if (granted.contains("ses")) {
      clients.add("sesv2");
    }
    if (granted.contains("ssm")) {
      clients.add("ssm");
    }
    return clients;
  }

  private static Stream<ServiceManifest.FunctionSpec> functions(ServiceManifest m) {
    return Stream.of(
        m.consumers().stream().map(ServiceManifest.Consumer::function),
        m.http().stream().map(ServiceManifest.HttpApi::function),
        m.streams().stream().map(ServiceManifest.StreamTrigger::function),
        m.schedules().stream().map(ServiceManifest.Schedule::function),
        m.buckets().stream().map(ServiceManifest.Bucket::function)).flatMap(s -> s).filter(Objects::nonNull);
  }

  /** The {@code software.amazon.awssdk.services.<name>} packages of the zip's jars. */
  private static Set<String> serviceClientsIn(Path zip) throws IOException {
    Set<String> clients = new TreeSet<>();
    forEachEntryOfItsJars(zip, (jar, e) -> {
      String rest = e.getName().startsWith(SDK_SERVICES) ? e.getName().substring(SDK_SERVICES.length()) : "";
      if (rest.indexOf('/') > 0) {
        clients.add(rest.substring(0, rest.indexOf('/')));
      }
    });
    return clients;
  }

  private static Path zipOf(ServiceManifest m) {
    return REPO.resolve("services").resolve(m.service()).resolve("target").resolve(m.service() + "-function.zip");
  }

  /** Gives {@code visit} each {@code lib/*.jar} entry of the zip with each entry inside that jar. */
  private static void forEachEntryOfItsJars(Path zip, BiConsumer<ZipEntry, ZipEntry> visit) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry jar : Collections.list(z.entries())) {
        if (!jar.getName().startsWith("lib/") || !jar.getName().endsWith(".jar")) {
          continue;
        }
        try (ZipInputStream in = new ZipInputStream(z.getInputStream(jar))) {
          for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            visit.accept(jar, e);
          }
        }
      }
    }
  }
}
