package com.example.fanout.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.example.fanout.benchmarks.coldstart.AwsStub;
import com.example.fanout.benchmarks.coldstart.ColdStartBench;
import com.example.fanout.benchmarks.coldstart.ColdStartProbe;
import com.example.fanout.benchmarks.coldstart.CpuShare;
import com.example.fanout.contract.JvmOptions;
import com.example.fanout.runtime.HeldClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each benchmark starts and reports, on a tiny scale: no figure is asserted (speed is never checked
 * in tests), only that a run produces its report. {@code make bench} runs them at full size.
 */
class BenchmarkSmokeTest {
  private static final Path REPO = Path.of(System.getProperty("fanout.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void packing_shouldReportEntriesPerCall_whenABurstIsPublished() {
    PackingBench.Result r = PackingBench.run(50, 1);

    assertThat(r.published()).isEqualTo(50);
    assertThat(r.calls()).isPositive();
  }

  @Test
  void consumerRuntime_shouldHandleEveryRecordOfItsBatches_whenEachMethodRunsOnce() {
    ConsumerRuntimeBenchmark bench = new ConsumerRuntimeBenchmark();
    bench.setUp();
    try {
      long total = bench.baselineParseAndBind();
      assertThat(total).as("the fixture's order total, once per record").isPositive();
      assertThat(bench.baselineParseValidateAndBind()).as("the same data, validated and bound").isEqualTo(total);
      assertThat(bench.runtime()).as("batch item failures").isZero();
      assertThat(bench.runtimeWithIdempotency()).as("batch item failures").isZero();
      assertThat(bench.runtimeWithIdempotency()).as("a second batch has new event ids: no duplicates").isZero();
      assertThat(bench.handled).hasValue(3 * ConsumerRuntimeBenchmark.BATCH);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void ratioCell_shouldGiveAMethodAgainstTheFirstBaselineAndEachFurtherOne() {
    SortedMap<String, Double> baselines = new TreeMap<>(Map.of("baselineParseAndBind", 40.0, "baselineParseValidateAndBind", 80.0));

    assertThat(BenchmarkMain.ratioCell("baselineParseAndBind", 40, false, baselines)).isEqualTo("baseline");
    assertThat(BenchmarkMain.ratioCell("baselineParseValidateAndBind", 80, false, baselines)).isEqualTo("2.00x the time");
    assertThat(BenchmarkMain.ratioCell("runtime", 100, false, baselines)).isEqualTo("2.50x the time; 1.25x baselineParseValidateAndBind");
    assertThat(BenchmarkMain.ratioCell("compiledMachine", 50, true, new TreeMap<>(Map.of("baselineRuleByRule", 10.0))))
        .isEqualTo("5.00x the throughput");
    assertThat(BenchmarkMain.ratioCell("alone", 1, false, new TreeMap<>())).isEqualTo("—");
  }

  @Test
  void sdkCall_shouldBeAnsweredThroughBothHttpClients_whenEachMethodRunsOnce() throws Exception {
    SdkCallBenchmark bench = new SdkCallBenchmark();
    bench.setUp();
    try {
      assertThat(bench.baselineSdkDefaultConnections()).isEqualTo(200);
      assertThat(bench.keepAliveConnections()).isEqualTo(200);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void main_shouldRefuseASettingOutsideItsValues_beforeAnyBenchmarkRuns(@TempDir Path out) {
    for (String setting : List.of("jmh=flase", "aot=ture", "cpu=lamda")) {
      String key = setting.substring(0, setting.indexOf('='));
      assertThatThrownBy(() -> BenchmarkMain.main(new String[] {out.toString(), "repo=" + REPO, setting}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(key + " must be one of").hasMessageContaining("was '" + setting.substring(key.length() + 1) + "'");
    }
    assertThatThrownBy(() -> BenchmarkMain.main(new String[] {out.toString(), "repo=" + REPO, "memory=512,1GB", "cpu=lambda"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory must be sizes in MB").hasMessageContaining("was '512,1GB'");
    assertThatThrownBy(() -> BenchmarkMain.main(new String[] {out.toString(), "repo=" + REPO, "concurrency=1,two"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency must be consumer concurrencies").hasMessageContaining("was '1,two'");
    assertThatThrownBy(() -> BenchmarkMain.main(new String[] {out.toString(), "repo=" + REPO, "memory=512,1024"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need Lambda's CPU share (cpu=lambda)");
    assertThatThrownBy(() -> BenchmarkMain.main(new String[] {out.toString(), "repo=" + REPO, "memory=64", "cpu=lambda"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128 to 10240 MB in Lambda, was 64");
    assertThat(out).as("nothing ran, so no report").isEmptyDirectory();
  }

  @Test
  void resultsFile_shouldNeverBeAFileThatIsThere_whenTheDayHasRunsAlready(@TempDir Path results) throws Exception {
    LocalDate day = LocalDate.of(2026, 12, 6);

    assertThat(BenchmarkMain.resultsFile(results, day)).isEqualTo(results.resolve("2026-12-06.md"));
    Files.writeString(results.resolve("2026-12-06.md"), "the day's first run, with notes added by hand");
    assertThat(BenchmarkMain.resultsFile(results, day)).isEqualTo(results.resolve("2026-12-06-2.md"));
    Files.writeString(results.resolve("2026-12-06-2.md"), "the second");
    assertThat(BenchmarkMain.resultsFile(results, day)).isEqualTo(results.resolve("2026-12-06-3.md"));
    assertThat(BenchmarkMain.resultsFile(results, day.plusDays(1))).isEqualTo(results.resolve("2026-12-07.md"));
  }

  @Test
  void zipTable_shouldListEveryFunctionWithTheZipItIsDeployedFromAndItsSize() throws Exception {
    String table = BenchmarkMain.zipTable(REPO);

    assertThat(table).containsPattern("\\| orders \\| api \\| orders-function-without-eventbridge-s3-sqs\\.zip \\| \\d+\\.\\d\\d \\| yes \\|")
        .containsPattern("\\| orders \\| imports \\| orders-function-without-eventbridge-sqs\\.zip \\| \\d+\\.\\d\\d \\| (yes|no) \\|")
        .containsPattern("\\| inventory \\| release-stock \\| inventory-function\\.zip \\| \\d+\\.\\d\\d \\| yes \\|")
        .doesNotContain("not built");
  }

  @Test
  void coldStart_shouldReportTheFloorAndPackagedFunctions_whenRunOnce() throws Exception {
    // An SQS consumer, an outbox relay on a stream and an HTTP API beside the floor: the probe runs each handler
    // from the unpacked zip, as Lambda does, so a zip that cannot start (a missing catalog slice, a class left
    // out) fails here. On JDK 25 each also runs with an AOT cache of its own, which the JVM must use (-XX:AOTMode=on).
    boolean aot = Runtime.version().feature() >= 25;
    List<ColdStartBench.Result> results = new ColdStartBench(REPO, REPO.resolve("benchmarks/target/coldstart-smoke"),
        ColdStartBench.Options.rounds(1).withAotCache(aot))
        .run(List.of(ColdStartBench.SDK_FLOOR, "inventory-reserve-stock", "orders-outbox-relay", "orders-api"));

    assertThat(results).extracting(ColdStartBench.Result::name)
        .containsExactly("floor", "sdk-floor", "inventory-reserve-stock", "orders-outbox-relay", "orders-api");
    assertThat(results).allSatisfy(r -> assertThat(r.coldMs()).isPositive());
    assertThat(results.getFirst().awsCalls()).as("the floor calls nothing").isZero();
    assertThat(results.subList(0, 2)).allSatisfy(r -> assertThat(r.traceDocuments() + r.primedTraceDocuments()).as(r.name() + ": traces nothing")
        .isZero());
    ColdStartBench.Result sdkFloor = results.get(1);
    assertThat(sdkFloor.awsCalls()).as("the SDK floor: a PutItem per record and one PutEvents").isEqualTo(ColdStartBench.BATCH + 1);
    assertThat(sdkFloor.endpointsCalled()).as("DynamoDB's and EventBridge's, as two hosts").isEqualTo(2);
    assertThat(sdkFloor.failures()).as("the SDK floor's records failed").isZero();
    assertThat(results.subList(2, 5)).allSatisfy(r -> {
      assertThat(r.awsCalls()).as(r.name() + ": the AWS calls of its run").isPositive();
      assertThat(r.primedBatchMs()).as(r.name() + ": the first batch after the handler's priming").isPositive();
      assertThat(r.primingMs()).as(r.name() + ": the priming's own time, its dry calls among it").isGreaterThan(results.getFirst().primingMs());
      assertThat(r.warmBatchMs()).as(r.name() + ": the same batch warm, on open connections, costs less than its first after priming")
          .isPositive().isLessThan(r.primedBatchMs());
      assertThat(r.failures()).as(r.name() + ": records failed or requests answered >= 400").isZero();
      assertThat(r.traceExports()).as(r.name() + ": X-Ray, the default, sends nothing over OTLP").isZero();
      assertThat(r.traceDocuments()).as(r.name() + ": its sampled invocation's documents, sent to the daemon's address Lambda sets")
          .isPositive();
      assertThat(r.primedTraceDocuments()).as(r.name() + ": each invocation after priming traced as the cold one was")
          .isGreaterThanOrEqualTo((1 + ColdStartProbe.WARM_BATCHES) * r.traceDocuments());
    });
    assertThat(results.get(2).traceDocuments()).as("reserve-stock: a subsegment per record at least").isGreaterThanOrEqualTo(ColdStartBench.BATCH);
    assertThat(results.get(2).endpointsCalled()).as("reserve-stock's DynamoDB and EventBridge calls, each to an endpoint of its own as to a host in AWS")
        .isGreaterThanOrEqualTo(2);
    assertThat(results.get(2).poisonBatchMs()).as("reserve-stock's first poison message, moved to its DLQ (a failed move counts above)")
        .isPositive();
    assertThat(results.get(2).heldBatchMs()).as("reserve-stock's first retry: a record whose claim the stub refused, reported"
        + " failed (a refused claim whose record was not counts above)").isPositive();
    assertThat(results).filteredOn(r -> !r.name().equals("inventory-reserve-stock")).allSatisfy(r -> {
      assertThat(r.poisonBatchMs()).as(r.name() + ": no poison batch, not a consumer of the platform").isZero();
      assertThat(r.heldBatchMs()).as(r.name() + ": no held claim batch").isZero();
    });
    // Each function's JVM runs with the JAVA_TOOL_OPTIONS it is deployed with (its last run's output); a floor's, with the runtime's flags alone.
    Path smoke = REPO.resolve("benchmarks/target/coldstart-smoke");
    assertThat(results).extracting(ColdStartBench.Result::name).allSatisfy(name -> {
      String pickedUp = "Picked up " + JvmOptions.VARIABLE + ": " + JvmOptions.value();
      if (ColdStartBench.FLOORS.contains(name)) {
        assertThat(Files.readString(smoke.resolve(name + ".out"))).as(name).doesNotContain(JvmOptions.VARIABLE);
      } else {
        assertThat(Files.readString(smoke.resolve(name + ".out"))).as(name).contains(pickedUp);
      }
    });
    assertThat(BenchmarkMain.coldStartTable(results, 1)).contains("| floor |").contains("| priming ms |")
        .contains("| warm batch ms | after priming x warm | poison ms | held claim ms |");
    assertThat(BenchmarkMain.sdkFloorTable(results)).contains("| inventory-reserve-stock | ").contains("| orders-api | ")
        .doesNotContain("| floor |").doesNotContain("| sdk-floor |");
    if (aot) {
      assertThat(results).allSatisfy(r -> {
        assertThat(r.aotCache().coldMs()).as(r.name() + ": a run that used its AOT cache").isPositive();
        assertThat(r.aotCache().bytes()).as(r.name() + ": its cache").isPositive();
      });
      assertThat(BenchmarkMain.aotCacheTable(results, 1)).contains("| floor |").contains("| x own AppCDS cold |");
    }
  }

  @Test
  void coldStart_shouldRunAScheduledJobAndABucketsImport_eachFromItsOwnZip() throws Exception {
    // The two zips no consumer, relay or API runs from: reporting's daily-report (a Scheduled Event)
    // and orders' imports (an S3 notification of a file of BATCH orders, which the stub serves).
    List<ColdStartBench.Result> results = new ColdStartBench(REPO, REPO.resolve("benchmarks/target/coldstart-async-smoke"),
        ColdStartBench.Options.rounds(1)).run(List.of("reporting-daily-report", "orders-imports"));

    assertThat(results).extracting(ColdStartBench.Result::name).containsExactly("floor", "orders-imports", "reporting-daily-report");
    assertThat(results).allSatisfy(r -> assertThat(r.failures()).as(r.name() + ": invocations failed").isZero());
    assertThat(results.subList(1, 3)).allSatisfy(r -> {
      assertThat(r.traceDocuments()).as(r.name() + ": its sampled invocation's documents").isPositive();
      assertThat(r.primedTraceDocuments()).as(r.name() + ": each invocation after priming traced as the cold one was")
          .isGreaterThanOrEqualTo((1 + ColdStartProbe.WARM_BATCHES) * r.traceDocuments());
    });
    ColdStartBench.Result imports = results.get(1);
    assertThat(imports.awsCalls()).as("the object read, then a write per order of the file").isGreaterThanOrEqualTo(ColdStartBench.BATCH + 1);
    assertThat(imports.endpointsCalled()).as("S3's and DynamoDB's hosts").isEqualTo(2);
    ColdStartBench.Result report = results.get(2);
    assertThat(report.awsCalls()).as("the ledger scanned, the report written").isGreaterThanOrEqualTo(2);
    assertThat(report.endpointsCalled()).as("DynamoDB's and S3's hosts").isEqualTo(2);
    assertThat(BenchmarkMain.coldStartTable(results, 1)).contains("| orders-imports |").contains("| reporting-daily-report |");
  }

  @Test
  void coldStart_shouldRunEveryProbeInTheCpuShareOfItsMemory_whenAskedForLambdasCpu() throws Exception {
    assumeThat(Files.isWritable(CpuShare.machineController())).as("a cgroup CPU controller this user may write to (root here)").isTrue();
    // The API, whose manifest gives it 1,024 MB, at 768 MB as memory=768 asks: a share of its own.
    ColdStartBench bench = new ColdStartBench(REPO, REPO.resolve("benchmarks/target/coldstart-cpu-smoke"),
        ColdStartBench.Options.rounds(1).withLambdaCpu(true).withMemorySizes(List.of(768)));
    List<ColdStartBench.Result> results = bench.run(List.of("orders-api"));

    assertThat(results).extracting(ColdStartBench.Result::name).containsExactly("floor", "orders-api@768");
    assertThat(results).extracting(ColdStartBench.Result::memoryMb).containsExactly(512, 768);
    assertThat(results).allSatisfy(r -> assertThat(r.failures()).isZero());
    assertThat(bench.throttling()).as("the floor's 512 MB and the API's 768 MB, each a share of its own").containsOnlyKeys(512, 768)
        .allSatisfy((mb, t) -> assertThat(t.throttled()).as(mb + " MB: the quota held its probes back").isPositive());
    assertThat(BenchmarkMain.cpuShareNote(bench.throttling())).contains("512 MB (0.29 of a CPU)").contains("768 MB (0.43 of a CPU)");
    assertThat(Files.readString(REPO.resolve("benchmarks/target/coldstart-cpu-smoke/orders-api@768.out")))
        .as("the function reads its memory as Lambda sets it").contains("\"function_memory_size\":768");
    assertThat(BenchmarkMain.memorySizeTable(results)).containsPattern("\\| orders-api \\| 768 \\| 0\\.43 \\|.*\\| 1\\.00 \\|")
        .doesNotContain("| floor |");
    assertThat(CpuShare.machineController()).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("fanout-bench-"));
  }

  @Test
  void coldStart_shouldRunFromAZipWithTracingOtelAndExportSpans_whenTheTracerIsOtel() throws Exception {
    Path work = REPO.resolve("benchmarks/target/coldstart-otel-smoke");
    List<ColdStartBench.Result> results = new ColdStartBench(REPO, work, ColdStartBench.Options.rounds(1).withTracer(ColdStartBench.OTEL)).run(List.of("inventory-reserve-stock"));

    ColdStartBench.Result inventory = results.get(1);
    assertThat(inventory.name()).isEqualTo("inventory-reserve-stock");
    assertThat(inventory.failures()).isZero();
    assertThat(inventory.traceExports()).as("each record's span flushed to the collector's stand-in").isGreaterThanOrEqualTo(ColdStartBench.BATCH);
    assertThat(inventory.traceDocuments()).as("nothing to the X-Ray daemon").isZero();
    try (var lib = Files.list(work.resolve("inventory-function/lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()).toList())
          .anySatisfy(n -> assertThat(n).startsWith("tracing-otel-")).anySatisfy(n -> assertThat(n).startsWith("opentelemetry-sdk-trace-"))
          .noneSatisfy(n -> assertThat(n).startsWith("jackson-dataformat-yaml-"));
    }
    assertThat(inventory.zipBytes()).as("the deployed zip and the OpenTelemetry SDK")
        .isGreaterThan(Files.size(REPO.resolve("services/inventory/target/inventory-function.zip")));
    assertThat(Files.readString(work.resolve("inventory-reserve-stock.out")).lines().filter(line -> line.contains("\"level\":\"WARN\"")))
        .as("warnings, but the retry of the record whose claim the stub refused, which the probe asks for")
        .allMatch(line -> line.contains("\"event_id\":\"" + HeldClaim.EVENT_ID + "\""));
  }

  @Test
  void coldStart_shouldRunEveryFunctionWithTheTracerAsked_whenOneIsNamed() throws Exception {
    // A name no backend has: the function says so at init, which shows the setting reached it (it falls back to its default).
    Path work = REPO.resolve("benchmarks/target/coldstart-tracer-smoke");
    List<ColdStartBench.Result> results = new ColdStartBench(REPO, work, ColdStartBench.Options.rounds(1).withTracer("no-such-tracer")).run(List.of("orders-api"));

    assertThat(results).extracting(ColdStartBench.Result::name).containsExactly("floor", "orders-api");
    assertThat(Files.readString(work.resolve("orders-api.out"))).contains("FANOUT_TRACER must be one of").contains("was 'no-such-tracer'");
    assertThat(results.get(1).traceDocuments()).as("it runs on X-Ray, its default, instead").isPositive();
  }

  @Test
  void pipeline_shouldReportThroughputAndLatency_whenRunBrieflyAtAFixedRate() throws Exception {
    // One run per JVM (the services' SDK clients keep the first platform's ports): the open-loop load,
    // whose rate bounds the orders placed.
    PipelineBench.Result r = new PipelineBench(REPO, REPO.resolve("benchmarks/target/pipeline-smoke"))
        .run(2, java.time.Duration.ofSeconds(3), 4, 5);

    assertThat(r.orders()).as("about 4 per second for 3 s").isBetween(8, 16);
    assertThat(r.baselinePerSecond()).isPositive();
    // A delivery runs a function with its DynamoDB and EventBridge calls; a bare SQS message does none of that.
    assertThat(r.baselineCpuMsPerMessage()).isPositive();
    assertThat(r.cpuMsPerDelivery()).isGreaterThan(r.baselineCpuMsPerMessage());
    // Every delivery is a record handled under its own subsegment, which the function's X-Ray SDK sends the daemon.
    assertThat(r.traceDocumentsPerDelivery()).as("X-Ray documents per delivery").isGreaterThanOrEqualTo(1.0);
    assertThat(r.traceDocumentsRefused()).as("documents the daemon refused").isZero();
    assertThat(BenchmarkMain.pipelineTable(List.of(r), java.time.Duration.ofSeconds(3), 4, 5))
        .contains("| 2 |").contains("fixed 4.0 per second").contains("| inventory-reserve-stock |");
    // Every order passes reserve-stock once (duplicates aside): its waits are counted per event.
    assertThat(r.consumerWaits()).containsKeys("inventory-reserve-stock", "reporting-order-ledger");
    assertThat(r.consumerWaits().get("inventory-reserve-stock").count()).isGreaterThanOrEqualTo(r.orders());
  }

  @Test
  void withConsumerConcurrency_shouldChangeOnlyTheConsumers_whenAManifestHasOtherFunctions() {
    String yaml = """
        http:
          - name: api
            function: { memory_mb: 1024, timeout_seconds: 10, reserved_concurrency: 50 }
        consumers:
          - name: c
            batch: { size: 10, window_seconds: 1, max_concurrency: 5 }
            function: { memory_mb: 512, timeout_seconds: 20, reserved_concurrency: 10 }
        tables:
          - name: t
        """;

    String changed = PipelineBench.withConsumerConcurrency(yaml, 1);

    assertThat(changed).contains("reserved_concurrency: 50").contains("batch: { size: 10, window_seconds: 1 }")
        .contains("timeout_seconds: 20, reserved_concurrency: 1 }");
  }
}
