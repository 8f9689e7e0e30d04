package com.example.fanout.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.benchmarks.coldstart.ColdStartBench;
import com.example.fanout.contract.EnvironmentNames;
import com.example.fanout.contract.JvmOptions;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.FunctionPackages;
import com.example.fanout.manifest.ServiceManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What the cold-start benchmark measures, kept: every function zip as the build packs it. */
class FunctionZipContentsTest {
  private static final Path REPO = Path.of(System.getProperty("fanout.repo.root", "..")).toAbsolutePath().normalize();
  private static final String SDK_SERVICES = "software/amazon/awssdk/services/";

  @Test
  void everyFunctionZip_shouldCarryItsSliceAsJson_oneLoggingBackend_onlyTheClientsItsFunctionsCall_andNoUnusedParser() throws IOException {
    Catalog catalog = Catalog.load(REPO.resolve("services"));
    assertThat(catalog.services()).isNotEmpty();
    for (ServiceManifest m : catalog.services()) {
      FunctionPackages packages = FunctionPackages.of(catalog, m);
      for (String zipName : packages.zips()) {
        Path zip = zipOf(m, zipName);
        List<String> entries = entriesOf(zip);

        assertThat(entries).as(zip + ": its own manifest, as JSON")
            .contains(Catalog.SLICE_ROOT + "/" + m.service() + "/" + m.service() + "/" + Catalog.SLICE_MANIFEST);
        assertThat(entries).as(zip + ": no YAML in a function")
            .noneMatch(e -> e.endsWith(".yaml") || e.startsWith("lib/snakeyaml-") || e.startsWith("lib/jackson-dataformat-yaml-"));
        assertThat(entries).as(zip + ": nothing for Powertools' correlation-id path, which no function uses")
            .noneMatch(e -> e.startsWith("lib/jmespath-") || e.startsWith("lib/jackson-datatype-joda-"));
        assertThat(entries).as(zip + ": one logging backend, Logback, configured in code (ADR 0102)")
            .anyMatch(e -> e.startsWith("lib/logback-classic-"))
            .noneMatch(e -> e.startsWith("lib/log4j-") || e.equals("log4j2.properties") || e.equals("logback.xml"));
        assertThat(serviceClientsIn(zip)).as(zip + ": the AWS SDK service clients its functions' manifest entries call for, and no other")
            .containsExactlyInAnyOrderElementsOf(serviceClientsCalledFor(catalog, m, packages.functionsIn(zipName)));
        boolean takesS3OrScheduledEvents = !m.schedules().isEmpty() || m.buckets().stream().anyMatch(b -> b.handler() != null);
        assertThat(entries.stream().anyMatch(e -> e.startsWith("lib/joda-time-")))
            .as(zip + ": Joda-Time only where the service's S3 or scheduled events' classes need it").isEqualTo(takesS3OrScheduledEvents);
      }
    }
  }

  @Test
  void everyZip_shouldHoldEveryRuntimeJarOfItsService_butThoseOfTheClientsItLeavesOut() throws IOException {
    Catalog catalog = Catalog.load(REPO.resolve("services"));
    Set<String> leavingOut = new TreeSet<>();
    for (ServiceManifest m : catalog.services()) {
      FunctionPackages packages = FunctionPackages.of(catalog, m);
      List<String> runtimeJars;
      try (var lib = Files.list(REPO.resolve("services").resolve(m.service()).resolve("target/function-lib"))) {
        runtimeJars = lib.map(p -> p.getFileName().toString()).sorted().toList();
      }
      for (String zipName : packages.zips()) {
        List<String> jars = entriesOf(zipOf(m, zipName)).stream().filter(e -> e.startsWith("lib/") && e.endsWith(".jar"))
            .map(e -> e.substring("lib/".length())).sorted().toList();
        List<String> leftOut = runtimeJars.stream().filter(j -> !jars.contains(j)).map(j -> j.replaceFirst("-[0-9][0-9.]*\\.jar$", "")).toList();
        List<String> expected = packages.leftOutOf(zipName).stream().flatMap(c -> FunctionPackages.CLIENT_JARS.get(c).stream()).toList();

        assertThat(runtimeJars).as(zipName + ": what it adds to the service's runtime jars").containsAll(jars);
        assertThat(leftOut).as(zipName + ": the jars of the clients it leaves out (FunctionPackages.CLIENT_JARS)")
            .containsExactlyInAnyOrderElementsOf(expected);
        packages.leftOutOf(zipName).forEach(c -> leavingOut.add(m.service() + " " + c));
      }
    }
    assertThat(leavingOut).as("service and client left out of some of its zips").containsExactly("orders eventbridge", "orders s3",
        "orders sqs", "reporting eventbridge", "reporting s3", "reporting sqs");
  }

  @Test
  void everyFunction_shouldStartAndPrimeInAFreshJvm_fromTheZipItIsDeployedFromAlone() throws Exception {
    // Lambda's init and a SnapStart priming of each handler, on the zip's class path only: a class its
    // zip leaves out (the S3 client's, ADR 0107) fails here, for the functions no benchmark invokes too.
    Map<String, String> expected = zipsByFunction();

    Map<String, String> started = new ColdStartBench(REPO, REPO.resolve("benchmarks/target/start-every-function"), 1).startEveryFunction();

    assertThat(started).as("service/function -> the zip it started and primed from").isEqualTo(expected);
  }

  @Test
  void everyFunctionTerraformApplies_shouldRunFromTheZipItsPackagesName() throws IOException {
    Path state = REPO.resolve("target/terraform/envs/dev/state.json");
    Assumptions.assumeTrue(Files.exists(state), "no " + state + " (make test writes it before the Java tests)");
    Map<String, String> planned = new TreeMap<>();
    for (JsonNode function : lambdaFunctions(state)) {
      JsonNode env = function.path("environment").path(0).path("variables");
      planned.put(env.path(EnvironmentNames.FANOUT_SERVICE).asText() + "/" + env.path(EnvironmentNames.FANOUT_FUNCTION).asText(),
          Path.of(function.path("filename").asText()).getFileName().toString());
    }

    assertThat(planned).as("service/function -> the zip Terraform deploys, against FunctionPackages").isEqualTo(zipsByFunction());
  }

  @Test
  void everyFunctionTerraformApplies_shouldRunWithTheJvmOptionsTheColdStartBenchGivesItsProbes() throws IOException {
    // The bench stands in for Lambda's JVM: each function's probe gets JvmOptions as its JAVA_TOOL_OPTIONS, so Terraform
    // must deploy every function with exactly those, beside the runtime's own flags, which the bench gives every probe.
    Path state = REPO.resolve("target/terraform/envs/dev/state.json");
    Assumptions.assumeTrue(Files.exists(state), "no " + state + " (make test writes it before the Java tests)");
    List<JsonNode> functions = lambdaFunctions(state);

    assertThat(functions).isNotEmpty().allSatisfy(f -> {
      String options = f.path("environment").path(0).path("variables").path(JvmOptions.VARIABLE).asText();
      assertThat(options).as(f.path("function_name").asText() + ": " + JvmOptions.VARIABLE).isEqualTo(JvmOptions.value());
      assertThat(ColdStartBench.LAMBDA_FLAGS).as(f.path("function_name").asText() + ": the runtime's C1-only flags")
          .containsAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
    });
  }

  @Test
  void everyFunctionZip_shouldStayWithinTheSizeTarget() throws IOException {
    // The zips are reproducible, so a size is a fact of the build, not a timing: a dependency that takes one past the
    // target fails here, not in the next make bench (a service opting into tracing-otel while it keeps the X-Ray SDK, ADR 0066).
    Catalog catalog = Catalog.load(REPO.resolve("services"));
    Map<String, Long> sizes = new TreeMap<>();
    for (ServiceManifest m : catalog.services()) {
      for (String zipName : FunctionPackages.of(catalog, m).zips()) {
        sizes.put(zipName, Files.size(zipOf(m, zipName)));
      }
    }

    assertThat(sizes).isNotEmpty().allSatisfy((zip, bytes) -> assertThat(bytes)
        .as("%s: at most %d bytes (benchmarks/README.md, \"Function zips\")", zip, BenchmarkMain.ZIP_TARGET_BYTES)
        .isLessThanOrEqualTo(BenchmarkMain.ZIP_TARGET_BYTES));
  }

  /** {@code <service>/<function>} -> the file name of its zip, as {@link FunctionPackages} names it. */
  private static Map<String, String> zipsByFunction() {
    Catalog catalog = Catalog.load(REPO.resolve("services"));
    Map<String, String> out = new TreeMap<>();
    for (ServiceManifest m : catalog.services()) {
      FunctionPackages.of(catalog, m).zipOf().forEach((function, zip) -> out.put(m.service() + "/" + function, zip));
    }
    return out;
  }

  @Test
  void everyFunctionZip_shouldHoldItsJarsWithTheirEntriesStored_soThatTheZipDeflatesEachJarWhole() throws IOException {
    Catalog catalog = Catalog.load(REPO.resolve("services"));
    for (ServiceManifest m : catalog.services()) {
      for (String zipName : FunctionPackages.of(catalog, m).zips()) {
        Path zip = zipOf(m, zipName);
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
  }

  /**
   * DynamoDB for every function; SQS and EventBridge for a consumer (the consumer runtime) or a
   * publisher; S3 for a function that calls it (a bucket, the claim check); Secrets Manager for the
   * service's secrets; SES or SSM where a function's role grants them.
   */
  private static Set<String> serviceClientsCalledFor(Catalog catalog, ServiceManifest m, Set<String> functions) {
    Set<String> clients = new TreeSet<>(Set.of("dynamodb"));
    if (functions.stream().anyMatch(f -> m.consumer(f).isPresent() || !m.functions().get(f).spec().access().publishes().isEmpty())) {
      clients.addAll(List.of("sqs", "eventbridge"));
    }
    Map<String, ServiceManifest.FunctionSpec> specs = new LinkedHashMap<>();
    m.functions().forEach((name, f) -> {
      if (functions.contains(name)) {
        specs.put(name, f.spec());
      }
    });
    if (specs.entrySet().stream().anyMatch(f -> FunctionPackages.callsS3(catalog, m, f.getKey(), f.getValue()))) {
      clients.add("s3");
    }
    if (!m.secrets().isEmpty()) {
      clients.add("secretsmanager");
    }
    Set<String> granted = specs.values().stream().flatMap(f -> f.access().permissions().stream())
        .flatMap(p -> p.actions().stream()).map(a -> a.substring(0, a.indexOf(':'))).collect(Collectors.toSet());
    if (granted.contains("ses")) {
      clients.add("sesv2");
    }
    if (granted.contains("ssm")) {
      clients.add("ssm");
    }
    return clients;
  }

  /** {@code <service>/<function>} -> the file name of the zip, of every function in the applied state. */
  /** The values of every {@code aws_lambda_function} in Terraform's state of the dev environment. */
  private static List<JsonNode> lambdaFunctions(Path state) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    collectFunctions(new ObjectMapper().readTree(state.toFile()).path("values").path("root_module"), out);
    return out;
  }

  private static void collectFunctions(JsonNode module, List<JsonNode> out) {
    for (JsonNode r : module.path("resources")) {
      if (r.path("type").asText().equals("aws_lambda_function")) {
        out.add(r.path("values"));
      }
    }
    for (JsonNode child : module.path("child_modules")) {
      collectFunctions(child, out);
    }
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

  private static Path zipOf(ServiceManifest m, String zipName) {
    return REPO.resolve("services").resolve(m.service()).resolve("target").resolve(zipName);
  }

  private static List<String> entriesOf(Path zip) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      return Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
    }
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
