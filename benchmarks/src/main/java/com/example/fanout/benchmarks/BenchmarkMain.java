package com.example.fanout.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import com.example.fanout.benchmarks.coldstart.AwsStub;
import com.example.fanout.benchmarks.coldstart.ColdStartBench;
import com.example.fanout.benchmarks.coldstart.ColdStartProbe;
import com.example.fanout.benchmarks.coldstart.CpuShare;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.FunctionPackages;
import com.example.fanout.manifest.ServiceManifest;
import java.time.Duration;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code make bench}: runs every benchmark, then prints each one as a ratio to the {@code baseline*}
 * method of its class, measured in the same run, and writes the table with the machine it ran on to
 * {@code benchmarks/results/<date>.md} ({@code <date>-2.md} and on for a day's later runs).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /**
   * Arguments: the results directory, then optional {@code key=value} settings: {@code rounds} (cold
   * start, default 2, 0 skips it), {@code load} (pipeline seconds per concurrency, default 60), {@code
   * concurrency} (comma-separated, default 1,2,4), {@code burst} (default 200), {@code jmh} (true), {@code only}
   * (comma-separated cold-start variants, e.g. {@code floor,inventory-reserve-stock}; default all), {@code
   * aot} (false; true adds each function's cold start with a JDK 25 AOT cache), {@code cpu} ({@code machine};
   * {@code lambda} runs each cold-start probe at the CPU share Lambda gives its function's memory), {@code memory}
   * (comma-separated MB, with {@code cpu=lambda}: each function at each of these sizes instead of its own).
   */
  public static void main(String[] args) throws Exception {
    AwsStub.sendWithoutDelay();
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      settings.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
    }
    Path repo = Path.of(settings.getOrDefault("repo", ".")).toAbsolutePath().normalize();
    // Checked before the first benchmark, so that a mistyped setting does not cost a JMH run.
    boolean jmh = oneOf(settings, "jmh", "true", "false").equals("true");
    boolean aot = oneOf(settings, "aot", "false", "true").equals("true");
    boolean lambdaCpu = oneOf(settings, "cpu", "machine", "lambda").equals("lambda");
    List<Integer> memorySizes = integers(settings, "memory", "", "sizes in MB", "512,1024");
    List<Integer> concurrencies = integers(settings, "concurrency", "1,2,4", "consumer concurrencies", "1,2,4");
    ColdStartBench.Options coldStartOptions = ColdStartBench.Options.rounds(Integer.parseInt(settings.getOrDefault("rounds", "2")))
        .withTracer(settings.get("tracer")).withAotCache(aot).withLambdaCpu(lambdaCpu).withMemorySizes(memorySizes);
    String machine = machine();
    long started = System.nanoTime();
    StringBuilder report = new StringBuilder("# Benchmark results " + LocalDate.now() + "\n\n" + machine + "\n");

    if (jmh) {
      Options options = new OptionsBuilder()
          .include(BenchmarkMain.class.getPackageName() + ".*Benchmark")
          .forks(1)
          .warmupIterations(3).warmupTime(TimeValue.seconds(2))
          .measurementIterations(5).measurementTime(TimeValue.seconds(2))
          .addProfiler(GCProfiler.class)
          .jvmArgsAppend("-Xmx1g")
          .build();
      Collection<RunResult> results = new Runner(options).run();
      report.append("\n## Hot paths (JMH)\n\nJMH: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement; ratios compare methods of one class"
          + " measured in the same run. Allocation per operation from JMH's GC profiler (`gc.alloc.rate.norm`); the consumer"
          + " benchmarks handle a batch of 10, so per record is a tenth.\n\n").append(table(results));
    }

    PackingBench.Result packing = PackingBench.run(1000, 42);
    report.append("\n## Publisher packing\n\n| events | PutEvents calls | entries per call | ratio to 10 (target >= 0.98) |\n|---:|---:|---:|---:|\n")
        .append(String.format("| %d | %d | %.2f | %.3f |%n", packing.events(), packing.calls(), packing.entriesPerCall(), packing.ratioToTen()));

    report.append(zipTable(repo));

    int rounds = coldStartOptions.rounds();
    if (rounds > 0) {
      String only = settings.get("only");
      String tracer = coldStartOptions.tracer();
      ColdStartBench bench = new ColdStartBench(repo, repo.resolve("benchmarks/target/coldstart"), coldStartOptions);
      List<ColdStartBench.Result> cold = bench.run(only == null ? null : List.of(only.split(",")));
      report.append(coldStartTable(cold, rounds));
      report.append(sdkFloorTable(cold));
      if (aot) {
        report.append(aotCacheTable(cold, rounds));
      }
      if (tracer != null) {
        report.append(String.format("%nEvery function ran with FANOUT_TRACER=%s.%n", tracer));
      }
      if (lambdaCpu) {
        report.append(cpuShareNote(bench.throttling()));
      }
      if (!memorySizes.isEmpty()) {
        report.append(memorySizeTable(cold));
      }
      if (ColdStartBench.OTEL.equals(tracer)) {
        report.append(String.format("Each from the zip its service would deploy if it depended on tracing-otel (its zip MB above),"
            + " exporting its spans over OTLP/HTTP to the stub in place of the ADOT layer's collector: %s OTLP exports per run"
            + " (median, function by function). The layer's own start-up is not in these figures.%n",
            String.join(", ", cold.stream().filter(r -> !ColdStartBench.FLOORS.contains(r.name())).map(r -> String.format("%.0f", r.traceExports())).toList())));
      }
    }

    Duration load = Duration.ofSeconds(Long.parseLong(settings.getOrDefault("load", "60")));
    int burst = Integer.parseInt(settings.getOrDefault("burst", "200"));
    double rate = Double.parseDouble(settings.getOrDefault("rate", "0"));
    List<PipelineBench.Result> pipeline = new ArrayList<>();
    StringBuilder unfinished = new StringBuilder();
    for (int c : concurrencies) {
      try {
        pipeline.add(new PipelineBench(repo, repo.resolve("benchmarks/target/pipeline")).runForked(c, load, rate, burst));
      } catch (Exception e) {
        // A run that cannot finish (orders stuck past the deadline) is a result too: say so and go on.
        unfinished.append(String.format("%nPipeline at C=%d did not finish: %s%n", c, e.getMessage()));
      }
    }
    if (!pipeline.isEmpty()) {
      report.append(pipelineTable(pipeline, load, rate, burst));
    }
    report.append(unfinished);
    report.append(String.format("%nWhole run: %.1f min; load average at the end %.2f.%n", (System.nanoTime() - started) / 6e10,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));

    System.out.println();
    System.out.println(report);
    Files.createDirectories(out);
    Path file = resultsFile(out, LocalDate.now());
    Files.writeString(file, report.toString(), StandardOpenOption.CREATE_NEW);
    System.out.println("wrote " + file);
    // The platforms the pipeline started leave pooled client threads behind; the report is written.
    System.exit(0);
  }

  /**
   * The setting {@code key} as whole numbers, comma-separated ({@code memory=512,1024}); {@code
   * absent} when it is not given, none when that is empty. A number that does not read is refused
   * here, before the first benchmark, naming {@code what} the numbers are and an {@code example}.
   */
  private static List<Integer> integers(Map<String, String> settings, String key, String absent, String what, String example) {
    String value = settings.getOrDefault(key, absent);
    if (value.isEmpty()) {
      return List.of();
    }
    try {
      return Stream.of(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be " + what + ", comma-separated (" + key + "=" + example + "), was '" + value + "'", e);
    }
  }

  /** The setting {@code key}, which must be one of {@code allowed}; the first when it is not given. */
  private static String oneOf(Map<String, String> settings, String key, String... allowed) {
    String value = settings.getOrDefault(key, allowed[0]);
    if (!List.of(allowed).contains(value)) {
      throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
    }
    return value;
  }

  /** Issue 15's target for a function's zip, in bytes (10^6 per MB); {@code FunctionZipContentsTest} holds every zip to it. */
  static final long ZIP_TARGET_BYTES = 12_000_000;

  /** Every function with the zip Terraform deploys it from ({@link FunctionPackages}, ADR 0107) and that zip's size. */
  static String zipTable(Path repo) throws IOException {
    Catalog catalog = Catalog.load(repo.resolve("services"));
    StringBuilder sb = new StringBuilder(String.format("%n## Function zips%n%nThe zip each function is deployed from, as `make package`"
        + " builds it: the service's runtime jars less those of the optional SDK clients the function never calls, named in the"
        + " zip's file name (ADR 0107). Target: <= 12 MB (10^6 bytes).%n%n| service | function | zip | MB | <= 12 MB |%n|---|---|---|---:|---|%n"));
    for (ServiceManifest m : catalog.services()) {
      for (Map.Entry<String, String> f : FunctionPackages.of(catalog, m).zipOf().entrySet()) {
        Path zip = repo.resolve("services").resolve(m.service()).resolve("target").resolve(f.getValue());
        long bytes = Files.isRegularFile(zip) ? Files.size(zip) : -1;
        sb.append(String.format("| %s | %s | %s | %s | %s |%n", m.service(), f.getKey(), f.getValue(),
            bytes < 0 ? "not built (make package)" : String.format("%.2f", bytes / 1e6), bytes < 0 ? "" : bytes <= ZIP_TARGET_BYTES ? "yes" : "no"));
      }
    }
    return sb.toString();
  }

  static String coldStartTable(List<ColdStartBench.Result> results, int rounds) {
    ColdStartBench.Result floor = results.getFirst();
    StringBuilder sb = new StringBuilder(String.format("%n## Cold start%n%nEach row a fresh JVM per run (JDK %s, Lambda's flags %s,"
        + " -Xmx 85 %% of the function's memory, -XX:MaxRAM the function's memory as Lambda's JVM sees it), median of %d rounds run interleaved; \"cold\" is process start to the first batch"
        + " of %d SQS records handled, \"init\" process start to the handler constructed (what Lambda reports as Init Duration)."
        + " AWS calls go to a loopback stub that accepts them, over TLS as in AWS. AppCDS: a dynamic archive from a training run of the same function"
        + " (-XX:ArchiveClassesAtExit), the stand-in for a SnapStart snapshot; this JDK is %s, Lambda's java21 runtime has the same"
        + " AppCDS. \"batch\" is the first batch alone (cold minus init); \"after priming\" the first batch of a run whose handler"
        + " ran its SnapStart priming (CRaC beforeCheckpoint) after init, what a restored snapshot's first batch costs before"
        + " the restore itself, against the floor's first batch; \"priming\" how long that priming took, which each published"
        + " version adds to its initialisation (Lambda allows a SnapStart function's at least 130 s); \"warm batch\" the same batch"
        + " once that run has handled it %d times more on its open connections (the median of the last %d), the least a first batch after"
        + " priming could cost, and \"after priming x warm\" how far from it the first batch after priming is; \"poison ms\" then, in that"
        + " run, an SQS consumer's first poison message: a batch of one unreadable record, which it moves to its DLQ; \"held claim ms\""
        + " then its first retry: a batch of one record whose idempotency claim another execution holds (the stub refuses it as DynamoDB"
        + " does), which it reports failed (— for a consumer that keeps no idempotency records). \"AWS calls\": the requests the stub answered in a run, what"
        + " the first batch asks of AWS (the first batch's cost follows it); \"X-Ray documents\": the segment documents the cold run, then the primed run,"
        + " sent over UDP to the stub's stand-in for the X-Ray daemon Lambda runs beside a function (each invocation is a sampled request). Targets: cold <= 2.5x floor, with AppCDS <= 1.25x floor, peak"
        + " memory <= 1.5x floor.%n%n"
        + "| function | zip MB | cold ms | x floor | init ms | x floor | AppCDS cold ms | x floor | x floor with AppCDS | batch ms"
        + " | AWS calls | X-Ray documents cold / primed | after priming ms | x floor's batch | priming ms | warm batch ms | after priming x warm | poison ms | held claim ms"
        + " | peak MiB | x floor | records failed or dead-lettered |%n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n",
        System.getProperty("java.version"), String.join(" ", ColdStartBench.LAMBDA_FLAGS), rounds, ColdStartBench.BATCH,
        System.getProperty("java.version"), ColdStartProbe.WARM_BATCHES, ColdStartProbe.WARM_MEASURED));
    for (ColdStartBench.Result r : results) {
      sb.append(String.format("| %s | %.1f | %.0f | %.2f | %.0f | %.2f | %.0f | %.2f | %.2f | %.0f | %.0f | %.0f / %.0f | %.0f | %.2f | %.0f | %.1f | %.1f | %s | %s | %.0f | %.2f | %d |%n",
          r.name(), r.zipBytes() / 1e6, r.coldMs(), r.coldMs() / floor.coldMs(), r.initMs(), r.initMs() / floor.initMs(), r.cdsColdMs(),
          r.cdsColdMs() / floor.coldMs(), r.cdsColdMs() / floor.cdsColdMs(), r.batchMs(), r.awsCalls(), r.traceDocuments(), r.primedTraceDocuments(), r.primedBatchMs(),
          r.primedBatchMs() / floor.batchMs(), r.primingMs(), r.warmBatchMs(), r.primedBatchMs() / r.warmBatchMs(),
          orDash(r.poisonBatchMs()), orDash(r.heldBatchMs()), r.peakKb() / 1024, r.peakKb() / floor.peakKb(), r.failures()));
    }
    return sb.toString();
  }

  /** {@code ms} to a tenth, or a dash for a figure the function does not have (0). */
  private static String orDash(double ms) {
    return ms > 0 ? String.format("%.1f", ms) : "—";
  }

  /**
   * Each function against the SDK floor of the same run, when it ran: what the platform adds to a
   * bare function that makes AWS calls; empty without it.
   */
  static String sdkFloorTable(List<ColdStartBench.Result> results) {
    ColdStartBench.Result sdk = results.stream().filter(r -> r.name().equals(ColdStartBench.SDK_FLOOR)).findFirst().orElse(null);
    if (sdk == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(String.format("%n## Cold start against the SDK floor%n%nThe SDK floor (`SdkFloorHandler`) is the"
        + " floor's handler plus the least a consumer that writes and publishes asks of AWS, with nothing of the platform: DynamoDB and"
        + " EventBridge clients built at init on the url-connection HTTP client, the region and credentials named, the SDK jars of"
        + " inventory's zip; per batch of %d a conditional PutItem per record and one PutEvents (%.0f AWS calls to two hosts, over TLS"
        + " to the same stub). Its row above is what any Java function making those calls pays beyond the floor; each function"
        + " against it here is what the platform adds (logging and metrics shaped like Powertools, schema validation, tracing,"
        + " SnapStart priming) and what its own calls cost beyond the SDK floor's. The SDK floor has no priming: its first batch"
        + " after priming is its first batch after init, as an unprimed function's first batch after a restore.%n%n"
        + "| function | AWS calls | cold x SDK floor | init x SDK floor | first batch x SDK floor's | AppCDS cold x SDK floor's"
        + " | after priming x SDK floor's | peak memory x SDK floor |%n|---|---:|---:|---:|---:|---:|---:|---:|%n",
        ColdStartBench.BATCH, sdk.awsCalls()));
    for (ColdStartBench.Result r : results) {
      if (ColdStartBench.FLOORS.contains(r.name())) {
        continue;
      }
      sb.append(String.format("| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.name(), r.awsCalls(), r.coldMs() / sdk.coldMs(),
          r.initMs() / sdk.initMs(), r.batchMs() / sdk.batchMs(), r.cdsColdMs() / sdk.cdsColdMs(), r.primedBatchMs() / sdk.primedBatchMs(),
          r.peakKb() / sdk.peakKb()));
    }
    return sb.toString();
  }

  /**
   * With {@code memory=}: each function at each size, what its latencies and a warm batch's billed
   * GB-seconds come to, against the same function at the smallest size run.
   */
  static String memorySizeTable(List<ColdStartBench.Result> results) {
    StringBuilder sb = new StringBuilder(String.format("%n## Memory sizes at Lambda's share of a CPU%n%nEach function at each memory size"
        + " asked (`memory=`), at the share of a CPU Lambda gives that memory (one at %d MB), from the runs above. GB-s per warm batch:"
        + " the memory in GB times the warm batch, what a warm container's batch is billed; against the same function at the"
        + " smallest size run. Lambda bills GB-s at one price per architecture, whatever the size.%n%n"
        + "| function | memory MB | CPU | cold ms | init ms | after priming ms | priming s | warm batch ms | GB-s per warm batch"
        + " | x smallest size's | peak MiB |%n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", CpuShare.MB_PER_VCPU));
    Map<String, List<ColdStartBench.Result>> byFunction = new LinkedHashMap<>();
    for (ColdStartBench.Result r : results) {
      if (!ColdStartBench.FLOORS.contains(r.name())) {
        byFunction.computeIfAbsent(ColdStartBench.functionOf(r), k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<ColdStartBench.Result>> f : byFunction.entrySet()) {
      double smallest = gbSeconds(f.getValue().stream().min(Comparator.comparingInt(ColdStartBench.Result::memoryMb)).orElseThrow());
      for (ColdStartBench.Result r : f.getValue()) {
        sb.append(String.format("| %s | %d | %.2f | %.0f | %.0f | %.0f | %.1f | %.1f | %.5f | %.2f | %.0f |%n", f.getKey(), r.memoryMb(),
            CpuShare.ofLambdaMemory(r.memoryMb()), r.coldMs(), r.initMs(), r.primedBatchMs(), r.primingMs() / 1000, r.warmBatchMs(),
            gbSeconds(r), gbSeconds(r) / smallest, r.peakKb() / 1024));
      }
    }
    return sb.toString();
  }

  private static double gbSeconds(ColdStartBench.Result r) {
    return r.memoryMb() / 1024.0 * r.warmBatchMs() / 1000;
  }

  /** What {@code cpu=lambda} did, with how often each share held its probes back. */
  static String cpuShareNote(Map<Integer, CpuShare.Throttling> throttling) {
    return String.format("%nEvery probe ran at the share of a CPU that Lambda gives its function's memory (one at %d MB: a cgroup's"
        + " CFS quota per 100 ms period), the floor at 512 MB; the stub, in AWS's place, at the machine's. Periods that ran out of"
        + " quota: %s.%n", CpuShare.MB_PER_VCPU, String.join("; ", throttling.entrySet().stream()
            .map(e -> String.format("%d MB (%.2f of a CPU) %d of %d", e.getKey(), CpuShare.ofLambdaMemory(e.getKey()),
                e.getValue().throttled(), e.getValue().periods())).toList()));
  }

  /** The cold-start runs with each function's AOT cache, against the same function's runs without it and the floor's. */
  static String aotCacheTable(List<ColdStartBench.Result> results, int rounds) {
    ColdStartBench.Result floor = results.getFirst();
    StringBuilder sb = new StringBuilder(String.format("%n## Cold start with an AOT cache (JDK 25)%n%nThe same runs as above, median of %d"
        + " rounds interleaved with them, each with an AOT cache of its own (JEP 483 and 514): a training run of the same function"
        + " with -XX:AOTCacheOutput, then each run with -XX:AOTMode=on -XX:AOTCache, so that a cache the JVM cannot use fails the"
        + " run instead of being ignored. The cache holds the training run's classes loaded and linked, the JDK's among them, and"
        + " takes the place of the JDK's CDS archive. JDK 24 and later have it: Lambda's java25 runtime, not java21. The JVM"
        + " uses a cache only with the build and class path it was made with, so a deployable one is made in Lambda's own image;"
        + " the zip figures above do not carry it.%n%n"
        + "| function | cache MB | cold ms | x floor | x floor with its cache | x own cold without | x own AppCDS cold | init ms"
        + " | x own init without | peak MiB | x floor |%n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", rounds));
    for (ColdStartBench.Result r : results) {
      ColdStartBench.AotCache a = r.aotCache();
      sb.append(String.format("| %s | %.1f | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f | %.0f | %.2f |%n", r.name(), a.bytes() / 1e6,
          a.coldMs(), a.coldMs() / floor.coldMs(), a.coldMs() / floor.aotCache().coldMs(), a.coldMs() / r.coldMs(), a.coldMs() / r.cdsColdMs(),
          a.initMs(), a.initMs() / r.initMs(), a.peakKb() / 1024, a.peakKb() / floor.peakKb()));
    }
    return sb.toString();
  }

  static String pipelineTable(List<PipelineBench.Result> results, Duration load, double rate, int burst) {
    StringBuilder sb = new StringBuilder(String.format("%n## Local pipeline%n%nThe whole saga on the local runtime (clock x1, the"
        + " manifests' batching windows), every consumer's concurrency set to C; %s place happy-path orders for"
        + " %d s, then the run waits for every order to end (orders/s counts the orders over the load and that wait). Deliveries: messages consumers deleted per second. Hop: SNS delivered"
        + " to the queue -> poller received, minus the consumer's batching window (target p99 <= 20 ms). Baseline: a bare SQS"
        + " send/receive/delete loop with C threads, the same client and the same embedded ElasticMQ (target deliveries >= 0.6x)."
        + " CPU per delivery: the CPU time of the run's processes (the JVM, clients included, and dynalite) over the load, per"
        + " delivery, against the same for a message of the baseline: how much more work a delivery is than a bare message."
        + " X-Ray documents: the segment documents the functions sent the local runtime's X-Ray daemon over the load, per delivery"
        + " (each record's subsegment at least), and how many the daemon refused. Burst: %d orders at once until all ended, against the span of the busiest consumer (first receive to last delete;"
        + " target <= 2x).%n%n"
        + "| C | orders | orders/s | deliveries/s | baseline/s | x baseline | CPU ms per delivery | baseline's | x baseline | hop p50 ms | hop p95 ms | hop p99 ms | e2e p50 ms | e2e p99 ms |"
        + " X-Ray documents per delivery | refused | burst s | slowest consumer | its s | x slowest |%n"
        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|%n",
        rate > 0 ? String.format("orders started at a fixed %.1f per second (open loop; e2e counted from when each was due)", rate)
            : PipelineBench.CLIENTS + " closed-loop clients (each one order in flight: its next is placed when its last has ended)",
        load.toSeconds(), burst));
    for (PipelineBench.Result r : results) {
      sb.append(String.format("| %d | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.3f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %d | %.1f | %s | %.1f | %.2f |%n",
          r.concurrency(), r.orders(), r.ordersPerSecond(), r.deliveriesPerSecond(), r.baselinePerSecond(),
          r.deliveriesPerSecond() / r.baselinePerSecond(), r.cpuMsPerDelivery(), r.baselineCpuMsPerMessage(),
          r.cpuMsPerDelivery() / r.baselineCpuMsPerMessage(), r.hopP50(), r.hopP95(), r.hopP99(), r.e2eP50(), r.e2eP99(),
          r.traceDocumentsPerDelivery(), r.traceDocumentsRefused(), r.burstSeconds(), r.slowestConsumer(), r.slowestConsumerSeconds(), r.burstSeconds() / r.slowestConsumerSeconds()));
    }
    sb.append(consumerWaitsTable(results));
    return sb.toString();
  }

  /** Each consumer's hop wait beyond its window, per C: which consumer the combined hop figures come from. */
  static String consumerWaitsTable(List<PipelineBench.Result> results) {
    java.util.Set<String> consumers = new java.util.TreeSet<>();
    results.forEach(r -> consumers.addAll(r.consumerWaits().keySet()));
    StringBuilder sb = new StringBuilder(String.format("%nHop wait per consumer, beyond its batching window: p50 / p99 ms (events).%n%n| consumer |"));
    results.forEach(r -> sb.append(" C=").append(r.concurrency()).append(" |"));
    sb.append(String.format("%n|---|%s%n", "---:|".repeat(results.size())));
    for (String consumer : consumers) {
      sb.append("| ").append(consumer).append(" |");
      for (PipelineBench.Result r : results) {
        PipelineBench.ConsumerWait w = r.consumerWaits().get(consumer);
        sb.append(w == null ? " - |" : String.format(" %.0f / %.0f (%d) |", w.p50(), w.p99(), w.count()));
      }
      sb.append(String.format("%n"));
    }
    return sb.toString();
  }

  /**
   * Where a run of {@code date} writes its report: {@code <date>.md}, or, when a run of that day is
   * already there, {@code <date>-2.md}, {@code -3} and on, so that a second run never overwrites the
   * first, nor what was added to its file by hand.
   */
  static Path resultsFile(Path dir, LocalDate date) {
    Path file = dir.resolve(date + ".md");
    for (int n = 2; Files.exists(file); n++) {
      file = dir.resolve(date + "-" + n + ".md");
    }
    return file;
  }

  static String table(Collection<RunResult> results) {
    Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      byClass.computeIfAbsent(label.substring(0, label.lastIndexOf('.')), k -> new ArrayList<>()).add(r);
    }
    StringBuilder sb = new StringBuilder("| benchmark | score | error (99.9 %) | unit | ratio to baseline | alloc B/op |\n|---|---:|---:|---|---:|---:|\n");
    byClass.forEach((cls, runs) -> {
      SortedMap<String, Double> baselines = new TreeMap<>();
      runs.stream().filter(r -> method(r).startsWith("baseline")).forEach(r -> baselines.put(method(r), r.getPrimaryResult().getScore()));
      for (RunResult r : runs) {
        var primary = r.getPrimaryResult();
        var alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        sb.append(String.format("| %s.%s | %.2f | %.2f | %s | %s | %s |%n", cls.substring(cls.lastIndexOf('.') + 1), method(r),
            primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
            ratioCell(method(r), primary.getScore(), r.getParams().getMode() == Mode.Throughput, baselines),
            alloc == null ? "—" : String.format("%.0f", alloc.getScore())));
      }
    });
    return sb.toString();
  }

  /**
   * A benchmark's ratio cell. A class's baselines are its methods named {@code baseline...}: the
   * first by name is the baseline, and each further one a floor that does more of the work (the
   * consumer runtime's, for one, also validates), so a method is given against each of them.
   */
  static String ratioCell(String method, double score, boolean throughput, SortedMap<String, Double> baselines) {
    if (baselines.isEmpty()) {
      return "—";
    }
    String first = baselines.firstKey();
    if (method.equals(first)) {
      return "baseline";
    }
    StringBuilder cell = new StringBuilder(String.format("%.2fx %s", score / baselines.get(first), throughput ? "the throughput" : "the time"));
    baselines.forEach((name, baseline) -> {
      if (!name.equals(first) && !name.equals(method)) {
        cell.append(String.format("; %.2fx %s", score / baseline, name));
      }
    });
    return cell.toString();
  }

  private static String method(RunResult r) {
    String label = r.getParams().getBenchmark();
    return label.substring(label.lastIndexOf('.') + 1);
  }

  static String machine() {
    Runtime rt = Runtime.getRuntime();
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException | RuntimeException e) {
      // Not Linux: the rest of the description still stands.
    }
    return String.format("Machine: %d cores (%s), %s %s, %s %s; load average at start %.2f (the machine is shared: read"
            + " ratios, not absolute times).%n",
        rt.availableProcessors(), cpu, System.getProperty("java.vm.name"), System.getProperty("java.version"),
        System.getProperty("os.name"), System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
