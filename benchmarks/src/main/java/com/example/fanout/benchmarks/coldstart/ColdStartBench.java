package com.example.fanout.benchmarks.coldstart;

import com.example.fanout.contract.JvmOptions;
import com.example.fanout.contract.MetricNames;
import com.example.fanout.contract.ResourceNames;
import com.example.fanout.contract.ScheduleInput;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.LocalEnvironment;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.FunctionPackages;
import com.example.fanout.manifest.ServiceManifest;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.Directories;
import com.example.fanout.testing.FunctionZips;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.UncompressedJars;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Cold start of every function zip against a floor handler (aws-lambda-java-events + Jackson
 * only) and an SDK floor ({@link SdkFloorHandler}: the floor plus the AWS calls a bare consumer
 * makes), each in a fresh JVM with Lambda's JVM flags, with and without an AppCDS archive made by a
 * training run (the stand-in for a SnapStart snapshot), and, as {@link Options} ask, with a JDK 25
 * AOT cache or at the CPU share Lambda gives the function's memory. Variants run interleaved, round
 * by round, so a change of load on the machine hits all of them alike; the median of the rounds is
 * reported.
 */
public final class ColdStartBench {
  /** What the Lambda Java 21 runtime passes to its JVM (plus the heap it derives from the memory size). */
  public static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
      "-Xshare:auto", "-Djava.net.preferIPv4Stack=true");
  public static final int BATCH = 10;
  /** The floor, which always runs and is the first result. */
  public static final String FLOOR = "floor";
  public static final String SDK_FLOOR = "sdk-floor";
  /** The variants that measure what any Java function pays, not one of ours. */
  public static final List<String> FLOORS = List.of(FLOOR, SDK_FLOOR);
  /** The floor's jars, by the start of their file names: the Lambda Java interfaces and events, and Jackson. */
  private static final List<String> FLOOR_JARS = List.of("aws-lambda-java-core-", "aws-lambda-java-events-", "jackson-databind-",
      "jackson-core-", "jackson-annotations-");
  /** The service clients the SDK floor calls: it leaves out any other service's client jar that inventory's zip carries. */
  private static final List<String> SDK_FLOOR_SERVICES = List.of("dynamodb", "eventbridge");
  /** The region and credentials every probe calls the stub with, as Lambda gives a function its own. */
  private static final Map<String, String> STUB_ACCOUNT = Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "bench",
      "AWS_SECRET_ACCESS_KEY", "bench");
  /** Between a function's name and its memory in the name of a variant run at a size of {@link Options#memorySizes}. */
  private static final String AT_MEMORY = "@";
  /** The tracer whose zips the bench builds itself: no reference service carries it yet (ADR 0066). */
  public static final String OTEL = "otel";

  private final Path repo;
  private final Path work;
  private final Options options;
  /** The CPU share of each memory size the probes ran at, while {@link #run(List)} runs. */
  private final Map<Integer, CpuShare> cpuShares = new HashMap<>();
  private final SortedMap<Integer, CpuShare.Throttling> throttling = new TreeMap<>();
  /** The probe's classes, jarred once, first on every variant's class path. */
  private Path probeJar;

  /**
   * @param rounds of every variant, interleaved
   * @param tracer the {@code FANOUT_TRACER} every function runs with ({@code xray}, {@code otel},
   *               {@code none}), to measure what tracing costs; null for the default a function has in
   *               Lambda. With {@code otel} each function runs from the zip its service would deploy if
   *               it depended on {@code tracing-otel} ({@link ColdStartBench#withTracingOtel}), and exports its spans
   *               to the stub, which stands in for the ADOT layer's collector
   * @param aotCache also run each function with a JDK 25 AOT cache made by a training run of its own
   *               (JEP 483 and 514), what Lambda's java25 runtime could load in place of the JDK's CDS
   *               archive; needs the bench to run on JDK 25 or later
   * @param lambdaCpu run each probe at the share of a CPU that Lambda gives its function's memory
   *               ({@link CpuShare}), where it would otherwise have the machine's; the stub, which stands
   *               in for AWS, keeps the machine's
   */
  public record Options(int rounds, String tracer, boolean aotCache, boolean lambdaCpu, List<Integer> memorySizes) {
    /** Lambda's range of function memory, MB. */
    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 10_240;

    /**
     * @param memorySizes run each function (not the floors) at each of these memory sizes instead of
     *                    its manifest's, as {@code <function>@<MB>}, to size it from figures; only at
     *                    Lambda's CPU share ({@code lambdaCpu}), since without it a size changes the
     *                    heap alone; empty for each function's own size
     */
    public Options {
      if (aotCache && Runtime.version().feature() < 25) {
        throw new IllegalArgumentException("aot=true needs JDK 25 or later (-XX:AOTCacheOutput, JEP 514); the bench runs on " + Runtime.version());
      }
      memorySizes = List.copyOf(memorySizes);
      for (int mb : memorySizes) {
        if (mb < MIN_MEMORY_MB || mb > MAX_MEMORY_MB) {
          throw new IllegalArgumentException("a function's memory is " + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB + " MB in Lambda, was " + mb);
        }
      }
      if (!memorySizes.isEmpty() && !lambdaCpu) {
        throw new IllegalArgumentException("memory sizes " + memorySizes + " need Lambda's CPU share (cpu=lambda):"
            + " without it a function's memory changes only its heap");
      }
    }

    public static Options rounds(int rounds) {
      return new Options(rounds, null, false, false, List.of());
    }

    public Options withTracer(String tracer) {
      return new Options(rounds, tracer, aotCache, lambdaCpu, memorySizes);
    }

    public Options withAotCache(boolean aotCache) {
      return new Options(rounds, tracer, aotCache, lambdaCpu, memorySizes);
    }

    public Options withLambdaCpu(boolean lambdaCpu) {
      return new Options(rounds, tracer, aotCache, lambdaCpu, memorySizes);
    }

    public Options withMemorySizes(List<Integer> memorySizes) {
      return new Options(rounds, tracer, aotCache, lambdaCpu, memorySizes);
    }
  }

  public ColdStartBench(Path repo, Path work, int rounds) {
    this(repo, work, Options.rounds(rounds));
  }

  public ColdStartBench(Path repo, Path work, Options options) {
    this.repo = repo.toAbsolutePath().normalize();
    this.work = work.toAbsolutePath().normalize();
    this.options = options;
  }

  /** A function zip unpacked as Lambda would into {@code dir}, and the class paths the probe runs it from. */
  private record Unpacked(Path dir, ClassPath classPath, long zipBytes) {}

  /**
   * A zip's class path, behind the probe's jar, two ways. {@code asLambda}: as Lambda's runtime
   * loads a function, the zip's root as a directory (its classes, and resources such as the catalog
   * slice, as files), then its {@code lib/} jars. {@code forArchive}: the same with the root jarred,
   * because an AppCDS archive or an AOT cache takes classes from jars only, and a JVM refuses an
   * archive whose class path holds a directory with files in it.
   */
  record ClassPath(List<Path> asLambda, List<Path> forArchive) {
    /** The class path of a run with {@code jvmFlags}. */
    List<Path> of(List<String> jvmFlags) {
      return jvmFlags.stream().anyMatch(ClassPath::namesAnArchive) ? forArchive : asLambda;
    }

    private static boolean namesAnArchive(String flag) {
      return Stream.of("-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=", "-XX:AOTCache=", "-XX:AOTCacheOutput=")
          .anyMatch(flag::startsWith);
    }
  }

  /** One function as the probe starts it. */
  record Variant(String name, String handler, ClassPath classPath, long zipBytes, int memoryMb, Map<String, String> env, Path bodies,
      String trigger) {
    /** The same function configured with {@code mb} of memory, named {@code <name>@<mb>}. */
    Variant atMemory(int mb) {
      Map<String, String> sized = new LinkedHashMap<>(env);
      sized.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(mb));
      return new Variant(name + AT_MEMORY + mb, handler, classPath, zipBytes, mb, sized, bodies, trigger);
    }
  }

  /** The function a result is of: its name without the memory size {@link Options#memorySizes} added to it. */
  public static String functionOf(Result result) {
    int at = result.name().lastIndexOf(AT_MEMORY);
    return at < 0 ? result.name() : result.name().substring(0, at);
  }

  /**
   * Medians over the rounds, in ms and KiB. {@code primingMs} is how long the handler's SnapStart
   * priming took in the primed runs: what each published version adds to its initialisation. {@code
   * warmBatchMs}: the same batch once the primed run has handled it {@value ColdStartProbe#WARM_BATCHES}
   * times more (the median of the last {@value ColdStartProbe#WARM_MEASURED}), on open connections:
   * the least a first batch after priming could cost. {@code poisonBatchMs}: then, in that run, a batch
   * of one unreadable record, which the consumer moves to its DLQ: a warm function's first poison
   * message; 0 for a function that is not an SQS consumer of the platform. {@code heldBatchMs}: then a
   * batch of one record whose idempotency claim another execution holds, which the consumer reports
   * failed for a retry: a warm function's first retry; 0 also for a consumer that keeps no idempotency
   * records. {@code traceDocuments}: the X-Ray segment documents a cold run sent the daemon (the
   * stub's), 0 for a function that traces nothing or over OTLP; {@code primedTraceDocuments}, those of
   * the primed run, whose every invocation after priming is a sampled request too (none of priming's
   * own reach the daemon). {@code aotCache}: null unless the bench was
   * asked for it. {@code memoryMb}: the memory the function ran with, its manifest's unless
   * {@link Options#memorySizes} asked for others.
   */
  public record Result(String name, String handler, long zipBytes, int memoryMb, double coldMs, double initMs, double cdsColdMs, double cdsInitMs,
      double peakKb, double cdsPeakKb, int failures, double primedBatchMs, double primingMs, double warmBatchMs,
      double poisonBatchMs, double heldBatchMs, double awsCalls, double traceExports, double endpointsCalled, double traceDocuments,
      double primedTraceDocuments, AotCache aotCache) {
    /** The first batch of a fresh JVM: cold start minus init. */
    public double batchMs() {
      return coldMs - initMs;
    }
  }

  /**
   * Medians over the rounds of the runs with the function's AOT cache, in ms and KiB, and the cache's
   * size: a JVM that cannot use the cache ({@code -XX:AOTMode=on}) fails its run rather than starting
   * without it.
   */
  public record AotCache(double coldMs, double initMs, double peakKb, long bytes) {}

  public List<Result> run() throws Exception {
    return run(null);
  }

  /** @param only names of the variants to run ({@code <service>-<consumer>}) beside the floor, which always runs; null for all */
  public List<Result> run(List<String> only) throws Exception {
    Files.createDirectories(work);
    Catalog catalog = Catalog.load(repo.resolve("services"));
    List<Variant> variants = new ArrayList<>();
    variants.add(floor(catalog));
    if (only == null || only.contains(SDK_FLOOR)) {
      Variant sdkFloor = sdkFloor(catalog);
      if (sdkFloor != null) {
        variants.add(sdkFloor);
      }
    }
    for (ServiceManifest m : catalog.services()) {
      if (only != null && only.stream().noneMatch(name -> name.startsWith(m.service() + "-"))) {
        continue;
      }
      Path target = repo.resolve("services").resolve(m.service()).resolve("target");
      List<String> missing = FunctionPackages.of(catalog, m).zips().stream().filter(z -> !Files.isRegularFile(target.resolve(z))).toList();
      if (!missing.isEmpty() || m.consumers().isEmpty()) {
        System.out.println("cold start: skipping " + m.service() + " (no " + missing + " in " + target + "; run make package)");
        continue;
      }
      variants.addAll(service(catalog, m, OTEL.equals(options.tracer()) ? withTracingOtel(catalog, m, target) : target));
    }
    if (only != null) {
      variants.removeIf(v -> !v.name().equals(FLOOR) && !only.contains(v.name()));
    }
    if (!options.memorySizes().isEmpty()) {
      List<Variant> sized = variants.stream()
          .flatMap(v -> FLOORS.contains(v.name()) ? Stream.of(v) : options.memorySizes().stream().map(v::atMemory)).toList();
      variants.clear();
      variants.addAll(sized);
    }
    try (AwsStub stub = AwsStub.overTls(work.resolve("tls"))) {
      stub.serveObject(IMPORT_FILE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return run(variants, stub);
    } finally {
      throttling.clear();
      for (Map.Entry<Integer, CpuShare> share : cpuShares.entrySet()) {
        throttling.put(share.getKey(), share.getValue().throttling());
        share.getValue().close();
      }
      cpuShares.clear();
    }
  }

  /** With {@link Options#lambdaCpu}: how often each memory size's share held its probes back in the last {@link #run(List)}. */
  public SortedMap<Integer, CpuShare.Throttling> throttling() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(throttling));
  }

  private List<Result> run(List<Variant> variants, AwsStub stub) throws IOException, InterruptedException {
    for (Variant v : variants) {
      train(v, stub, "-XX:ArchiveClassesAtExit=", archive(v), "AppCDS archive");
      if (options.aotCache()) {
        train(v, stub, "-XX:AOTCacheOutput=", aotCache(v), "AOT cache");
      }
    }
    Map<String, List<long[]>> plain = new LinkedHashMap<>();
    Map<String, List<long[]>> cds = new LinkedHashMap<>();
    Map<String, List<long[]>> primed = new LinkedHashMap<>();
    Map<String, List<long[]>> aot = new LinkedHashMap<>();
    for (int round = 0; round < options.rounds(); round++) {
      for (Variant v : variants) {
        plain.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(run(v, stub, List.of(), false));
        cds.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(run(v, stub, List.of("-XX:SharedArchiveFile=" + archive(v)), false));
        primed.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(run(v, stub, List.of(), true));
        if (options.aotCache()) {
          aot.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(run(v, stub, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + aotCache(v)), false));
        }
      }
    }
    List<Result> results = new ArrayList<>();
    for (Variant v : variants) {
      List<long[]> p = plain.get(v.name());
      List<long[]> c = cds.get(v.name());
      List<long[]> pr = primed.get(v.name());
      List<long[]> a = aot.get(v.name());
      results.add(new Result(v.name(), v.handler(), v.zipBytes(), v.memoryMb(), median(p, 0), median(p, 1), median(c, 0), median(c, 1),
          median(p, 2), median(c, 2), (int) Stream.of(p, c, pr, a == null ? List.<long[]>of() : a).flatMap(List::stream).mapToLong(r -> r[3]).max().orElse(0),
          median(pr, 4), median(pr, 8), median(pr, 9) / 1000, median(pr, 10) / 1000, median(pr, 11) / 1000,
          median(p, 5), median(p, 6), median(p, 7), median(p, 12), median(pr, 12),
          a == null ? null : new AotCache(median(a, 0), median(a, 1), median(a, 2), Files.size(aotCache(v)))));
    }
    return results;
  }

  /** A training run of {@code v} that writes {@code output} through the JVM flag {@code flag}, which names the file. */
  private void train(Variant v, AwsStub stub, String flag, Path output, String what) throws IOException, InterruptedException {
    Files.deleteIfExists(output);
    run(v, stub, List.of(flag + output), false);
    if (!Files.isRegularFile(output)) {
      throw new IllegalStateException(v.name() + ": the training run wrote no " + what + " " + output);
    }
  }

  private Path archive(Variant v) {
    return work.resolve(v.name() + ".jsa");
  }

  private CpuShare cpuShare(int memoryMb) {
    return cpuShares.computeIfAbsent(memoryMb, mb -> CpuShare.create(CpuShare.machineController(),
        "fanout-bench-" + ProcessHandle.current().pid() + "-" + mb, CpuShare.ofLambdaMemory(mb)));
  }

  private Path aotCache(Variant v) {
    return work.resolve(v.name() + ".aot");
  }

  /**
   * {cold start ms, init ms, peak KiB, records failed or dead-lettered, first batch ms after priming,
   * AWS calls the stub answered, OTLP trace exports it received, its endpoints those calls reached,
   * priming ms, warm batch µs, poison batch µs, held claim batch µs (all four 0 unless {@code primed},
   * the last two also for a function that is not a platform consumer, and the last for one that keeps
   * no idempotency records), X-Ray segment documents the stub's daemon received}
   * of one fresh JVM; {@code primed}: the handler's SnapStart priming runs before the batch (through
   * an in-process client: its calls never reach the stub), the batch is handled again until warm, and
   * a consumer then handles a poison record and a record whose claim another execution holds; the
   * dead letters and failures counted are then those of every batch of the run but those two records'
   * own.
   */
  private long[] run(Variant v, AwsStub stub, List<String> extraFlags, boolean primed) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // An AOT cache takes the place of the JDK's CDS archive, and the JVM refuses any -Xshare beside it.
    boolean withAotCache = extraFlags.stream().anyMatch(f -> f.startsWith("-XX:AOTCache"));
    command.addAll(LAMBDA_FLAGS.stream().filter(f -> !(withAotCache && f.startsWith("-Xshare"))).toList());
    command.add("-Xmx" + (int) (v.memoryMb() * 0.85) + "m");
    // Lambda's JVM sees the function's memory as the machine's: it sizes the initial heap and the
    // young generation from it (1/64 of 512 MB is 8 MB), where this machine's RAM would give hundreds.
    command.add("-XX:MaxRAM=" + v.memoryMb() + "m");
    command.addAll(extraFlags);
    command.addAll(stub.trustStoreFlags());
    // Profiling a probe, e.g. FANOUT_PROBE_FLAGS="-Xlog:class+load:file=/tmp/cl.log:uptime": not for measured runs.
    String probeFlags = System.getenv("FANOUT_PROBE_FLAGS");
    if (probeFlags != null && !probeFlags.isBlank()) {
      command.addAll(List.of(probeFlags.trim().split("\\s+")));
    }
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, v.classPath().of(extraFlags).stream().map(Path::toString).toList()));
    command.add(ColdStartProbe.class.getName());
    command.addAll(List.of(v.handler(), v.bodies().toString(), v.name(), Integer.toString(v.memoryMb())));
    command.add(v.trigger());
    boolean poison = primed && "sqs".equals(v.trigger()) && !FLOORS.contains(v.name());
    if (primed) {
      command.add("primed");
      command.add("warm");
    }
    if (poison) {
      command.add("poison");
      command.add("held");
    }
    ProcessBuilder pb = new ProcessBuilder(options.lambdaCpu() ? cpuShare(v.memoryMb()).wrap(command) : command).redirectErrorStream(true);
    pb.environment().remove(JvmOptions.VARIABLE); // a floor's JVM gets the runtime's flags alone, whatever this shell holds
    pb.environment().putAll(v.env());
    // As Lambda sets it: Powertools reads it for the cold_start key, our runtime for its CRaC registration.
    pb.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", primed ? "snap-start" : "on-demand");
    pb.environment().putAll(stub.endpointEnvironment());
    pb.environment().putAll(stub.xrayDaemonEnvironment());
    pb.environment().put("DLQ_URL", stub.endpoint() + "/000000000000/" + v.name() + "-dlq");
    pb.environment().put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", stub.tracesEndpoint().toString());
    long spawned = System.currentTimeMillis();
    Process process = pb.start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    process.waitFor();
    Files.writeString(work.resolve(v.name() + ".out"), output); // the last run's output, for a look at what the function did
    String probe = output.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
        .orElseThrow(() -> new IllegalStateException(v.name() + ": the probe reported nothing:\n" + tail(output)));
    Map<String, Long> f = new LinkedHashMap<>();
    Arrays.stream(probe.substring(6).split(" ")).map(kv -> kv.split("=")).forEach(kv -> f.put(kv[0], Long.parseLong(kv[1])));
    // The poison record's own DLQ move is expected: a move too many, or none (a poison dropped unmoved), is counted.
    int deadLettered = stub.takeDeadLettered() - (poison ? 1 : 0);
    // So is the held record's failure, when the stub refused its claim (a consumer without idempotency records makes none):
    // a refused claim whose record was not reported failed would be a record lost.
    int claimsRefused = stub.takeClaimsRefused();
    return new long[] {f.get("done") - spawned, f.get("init") - spawned, f.get("hwmKb"),
        f.get("failures") + f.get("poisonFailures") + Math.abs(deadLettered) + Math.abs(f.get("heldFailures") - claimsRefused),
        f.get("done") - f.get("primed"), stub.takeCalls(), stub.takeTraceExports(), stub.takeEndpointsCalled(), f.get("primed") - f.get("init"),
        f.get("warmMicros"), f.get("poisonMicros"), claimsRefused > 0 ? f.get("heldMicros") : 0, stub.takeTraceDocuments()};
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static double median(List<long[]> runs, int field) {
    long[] v = runs.stream().mapToLong(r -> r[field]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  /** The floor's "zip": its class and the jars it needs, packed like a function zip. */
  private Variant floor(Catalog catalog) throws IOException {
    List<Path> jars = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(Path::of)
        .filter(ColdStartBench::floorJar).toList();
    return packedFloor(FLOOR, FloorHandler.class, jars, Map.of(), catalog);
  }

  private static boolean floorJar(Path jar) {
    return FLOOR_JARS.stream().anyMatch(jar.getFileName().toString()::startsWith);
  }

  /**
   * The SDK floor ({@link SdkFloorHandler}): the floor's jars and the AWS SDK's for DynamoDB and
   * EventBridge, as inventory's consumer zip carries them (the same versions and the url-connection
   * client our functions deploy), less every other service client; null, with the reason printed,
   * when that zip is not built.
   */
  private Variant sdkFloor(Catalog catalog) throws IOException {
    ServiceManifest inventory = catalog.requireService("inventory");
    Path zip = repo.resolve("services/inventory/target")
        .resolve(FunctionPackages.of(catalog, inventory).zipOf().get(inventory.consumers().getFirst().name()));
    if (!Files.isRegularFile(zip)) {
      System.out.println("cold start: skipping " + SDK_FLOOR + " (its SDK jars come from " + zip + "; run make package)");
      return null;
    }
    Path unpacked = work.resolve(SDK_FLOOR + "-source");
    unzip(zip, unpacked);
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> lib = Files.list(unpacked.resolve("lib"))) {
      for (Path jar : (Iterable<Path>) lib.sorted()::iterator) {
        if (floorJar(jar) || sdkFloorJar(jar)) {
          jars.add(jar);
        }
      }
    }
    Map<String, String> env = new LinkedHashMap<>(STUB_ACCOUNT);
    env.put(SdkFloorHandler.TABLE_VARIABLE, "bench-" + SDK_FLOOR);
    return packedFloor(SDK_FLOOR, SdkFloorHandler.class, jars, env, catalog);
  }

  /** A jar of the AWS SDK's classes (or of its reactive-streams and SLF4J API) that holds no service client but the SDK floor's. */
  private static boolean sdkFloorJar(Path jar) throws IOException {
    boolean sdk = false;
    try (ZipFile z = new ZipFile(jar.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        String name = e.getName();
        if (!name.endsWith(".class")) {
          continue; // X-Ray's SDK instrumentor, say, registers its interceptor as a resource under software/amazon/awssdk/
        }
        if (name.startsWith("software/amazon/awssdk/services/")
            && SDK_FLOOR_SERVICES.stream().noneMatch(s -> name.startsWith("software/amazon/awssdk/services/" + s + "/"))) {
          return false;
        }
        sdk |= name.startsWith("software/amazon/awssdk/") || name.startsWith("org/reactivestreams/") || name.startsWith("org/slf4j/");
      }
    }
    return sdk;
  }

  /** A floor's "zip" ({@code handler}'s class and {@code jars}, packed like a function zip), run at 512 MB on the floor's bodies. */
  private Variant packedFloor(String name, Class<?> handler, List<Path> jars, Map<String, String> env, Catalog catalog) throws IOException {
    Path classes = work.resolve(name);
    Directories.delete(classes); // the root holds the handler's class alone, as its zip does
    copyClass(handler, classes);
    Path zip = work.resolve(name + "-function.zip");
    String handlerClass = handler.getName().replace('.', '/') + ".class";
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry(handlerClass));
      Files.copy(classes.resolve(handlerClass), out);
      for (Path jar : jars) {
        out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
        Files.copy(jar, out);
      }
    }
    ServiceManifest inventory = catalog.requireService("inventory");
    return new Variant(name, handler.getName(), classPath(classes, jars, name), Files.size(zip), 512, env,
        bodies(name, catalog, inventory.consumers().getFirst()), "sqs");
  }

  /**
   * The service's first SQS consumer, each stream function that publishes (an outbox relay), each
   * HTTP API, each scheduled job and each bucket's import function, each from the zip it is deployed
   * from ({@link FunctionPackages}).
   */
  private List<Variant> service(Catalog catalog, ServiceManifest m, Path target) throws IOException {
    java.util.function.Function<String, Unpacked> zipOf = unpack(catalog, m, target);
    List<Variant> variants = new ArrayList<>();
    ServiceManifest.Consumer consumer = m.consumers().getFirst();
    variants.add(variant(m, zipOf, consumer.name(), consumer.handler(), consumer.function(),
        bodies(m.service() + "-" + consumer.name(), catalog, consumer), "sqs"));
    for (ServiceManifest.StreamTrigger stream : m.streams()) {
      List<String> publishes = stream.function().access().publishes();
      if (!publishes.isEmpty()) {
        variants.add(variant(m, zipOf, stream.name(), stream.handler(), stream.function(),
            streamRecords(m.service() + "-" + stream.name(), catalog, publishes.getFirst()), "stream"));
      }
    }
    for (ServiceManifest.HttpApi api : m.http()) {
      Path requests = requests(m, m.service() + "-" + api.name());
      if (requests != null) {
        variants.add(variant(m, zipOf, api.name(), api.handler(), api.function(), requests, "http"));
      }
    }
    for (ServiceManifest.Schedule job : m.schedules()) {
      variants.add(variant(m, zipOf, job.name(), job.handler(), job.function(), scheduleRun(m, job.name()), "schedule"));
    }
    for (ServiceManifest.Bucket bucket : m.buckets()) {
      if (bucket.handler() != null) {
        variants.add(variant(m, zipOf, bucket.name(), bucket.handler(), bucket.function(), objectCreated(m, bucket), "s3"));
      }
    }
    return variants;
  }

  /** A scheduled job's run, in the probe's format: the schedule's ARN, which names its group (ADR 0118). */
  private Path scheduleRun(ServiceManifest m, String job) throws IOException {
    return Files.writeString(work.resolve(m.service() + "-" + job + ".run"), ScheduleInput.scheduleArn(STUB_ACCOUNT.get("AWS_REGION"),
        "000000000000", ResourceNames.scheduleGroup("bench", m.service(), job), ResourceNames.function("bench", m.service(), job)));
  }

  /**
   * An object created in the bucket, in the probe's format: the bucket's name, then the object's key
   * under the bucket's prefix with its first suffix. Its content, which the stub serves to every
   * GetObject, is {@link #IMPORT_FILE}: a batch of {@value #BATCH} orders.
   */
  private Path objectCreated(ServiceManifest m, ServiceManifest.Bucket bucket) throws IOException {
    String key = (bucket.prefix() == null ? "" : bucket.prefix()) + "bench" + (bucket.suffixes().isEmpty() ? "" : bucket.suffixes().getFirst());
    return Files.writeString(work.resolve(m.service() + "-" + bucket.name() + ".object"),
        "bench-" + m.service() + "-" + bucket.name() + "\n" + key + "\n");
  }

  /** The object every import of the bench reads: a header and {@value #BATCH} valid orders, as a customer uploads them. */
  static final String IMPORT_FILE = "customerId,customerEmail,sku,quantity,unitPriceCents,currency,paymentToken,orderRef\n"
      + java.util.stream.IntStream.range(0, BATCH)
          .mapToObj(i -> "cus_%d,buyer%d@example.com,SKU-RED-MUG,%d,1250,EUR,tok_visa_ok,PO-%d\n".formatted(3000 + i, i, 1 + i % 3, i))
          .collect(java.util.stream.Collectors.joining());

  /** Function {@code function} of {@code m}, named {@code <service>-<function>}, run from its unpacked zip. */
  private Variant variant(ServiceManifest m, java.util.function.Function<String, Unpacked> zipOf, String function, String handler,
      ServiceManifest.FunctionSpec spec, Path bodies, String trigger) {
    Unpacked zip = zipOf.apply(function);
    return new Variant(m.service() + "-" + function, handler, zip.classPath(), zip.zipBytes(), spec.memoryMb(),
        environment(m, function, spec, zip.dir()), bodies, trigger);
  }

  /**
   * The zips {@code m}'s build would write if the service depended on {@code tracing-otel}, as ADR
   * 0066's migration has a service opt in: its {@code target/function-lib} and the jars of
   * tracing-otel's runtime class path it lacks, each stored uncompressed, packed by the build's own
   * {@link FunctionZips} into a directory of the bench's; returns that directory.
   */
  private Path withTracingOtel(Catalog catalog, ServiceManifest m, Path target) throws IOException {
    Path module = repo.resolve("tracing-otel/target");
    Path classPathFile = module.resolve("runtime.classpath");
    if (!Files.isRegularFile(classPathFile)) {
      throw new IllegalStateException("no " + classPathFile + ": build tracing-otel (mvn -pl tracing-otel package) for tracer=otel");
    }
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> built = Files.list(module)) {
      built.filter(p -> p.getFileName().toString().matches("tracing-otel-[0-9].*(?<!-sources|-tests)\\.jar")).forEach(jars::add);
    }
    Stream.of(Files.readString(classPathFile).trim().split(java.io.File.pathSeparator)).map(Path::of).forEach(jars::add);
    Path functionLib = target.resolve("function-lib");
    List<Path> theirs;
    try (Stream<Path> lib = Files.list(functionLib)) {
      theirs = lib.toList();
    }
    java.util.Set<String> have = new java.util.HashSet<>(theirs.stream().map(p -> p.getFileName().toString()).toList());
    Instant time;
    try (ZipFile zip = new ZipFile(target.resolve(FunctionPackages.of(catalog, m).zips().getFirst()).toFile())) {
      time = zip.entries().nextElement().getTimeLocal().toInstant(ZoneOffset.UTC);
    }
    Path lib = work.resolve("otel").resolve(m.service() + "-function-lib");
    UncompressedJars.writeAll(jars.stream().filter(j -> !have.contains(j.getFileName().toString())).toList(), lib, time);
    for (Path jar : theirs) {
      Files.copy(jar, lib.resolve(jar.getFileName()));
    }
    Path zips = Files.createDirectories(work.resolve("otel").resolve(m.service()));
    FunctionZips.write(repo.resolve("services"), m.service(), target.resolve("classes"), lib, zips, time);
    return zips;
  }

  /** Unpacks every zip of the service's functions; gives a function's name its unpacked zip. */
  private java.util.function.Function<String, Unpacked> unpack(Catalog catalog, ServiceManifest m, Path target) throws IOException {
    FunctionPackages packages = FunctionPackages.of(catalog, m);
    Map<String, Unpacked> unpackedZips = new LinkedHashMap<>();
    for (String zipName : packages.zips()) {
      String unpacked = zipName.substring(0, zipName.length() - ".zip".length());
      Path dir = work.resolve(unpacked);
      unzip(target.resolve(zipName), dir);
      List<Path> jars;
      try (Stream<Path> libs = Files.list(dir.resolve("lib"))) {
        jars = libs.sorted().toList();
      }
      unpackedZips.put(zipName, new Unpacked(dir, classPath(dir, jars, unpacked), Files.size(target.resolve(zipName))));
    }
    return function -> unpackedZips.get(packages.zipOf().get(function));
  }

  /**
   * Starts every function of every service in a fresh JVM from the zip it is deployed from, as a
   * SnapStart snapshot is taken: the handler's no-arg constructor (Lambda's init), then its priming.
   * Returns {@code <service>/<function>} with the zip it started from (the one unpacked onto its
   * class path), or why it did not start or what it logged at WARN or ERROR (priming that stopped
   * early, say).
   */
  public Map<String, String> startEveryFunction() throws Exception {
    Files.createDirectories(work);
    Catalog catalog = Catalog.load(repo.resolve("services"));
    Path none = Files.writeString(work.resolve("no-bodies.txt"), "");
    Map<String, String> started = new TreeMap<>();
    try (AwsStub stub = AwsStub.overTls(work.resolve("tls"))) {
      for (ServiceManifest m : catalog.services()) {
        Path target = repo.resolve("services").resolve(m.service()).resolve("target");
        java.util.function.Function<String, Unpacked> zipOf = unpack(catalog, m, target);
        for (Map.Entry<String, ServiceManifest.Function> f : m.functions().entrySet()) {
          Variant v = variant(m, zipOf, f.getKey(), f.getValue().handler(), f.getValue().spec(), none, "init");
          String key = m.service() + "/" + f.getKey();
          try {
            run(v, stub, List.of(), true);
            List<String> warnings = Files.readAllLines(work.resolve(v.name() + ".out")).stream()
                .filter(l -> l.contains("\"level\":\"WARN\"") || l.contains("\"level\":\"ERROR\"")).toList();
            started.put(key, warnings.isEmpty() ? zipOf.apply(f.getKey()).dir().getFileName() + ".zip" : "started with " + warnings);
          } catch (IllegalStateException e) {
            started.put(key, "did not start: " + e.getMessage());
          }
        }
      }
    }
    return started;
  }

  /**
   * The first request of an HTTP API: the service's sample request ({@code src/test/resources/**}{@code
   * /order-request.json} for orders), posted by the customer it names; null where a service has none.
   */
  private Path requests(ServiceManifest m, String name) throws IOException {
    Path sample;
    try (Stream<Path> files = Files.walk(repo.resolve("services").resolve(m.service()).resolve("src/test/resources"))) {
      sample = files.filter(f -> f.getFileName().toString().endsWith("-request.json")).sorted().findFirst().orElse(null);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
    if (sample == null) {
      return null;
    }
    String body = Files.readString(sample);
    String route = m.http().stream().flatMap(h -> h.routes().stream()).map(ServiceManifest.Route::toString)
        .filter(r -> r.startsWith("POST ")).findFirst().orElse(null);
    if (route == null) {
      return null;
    }
    // The probe's format: the route key, the caller's subject (the customer the order names), then the body.
    Path file = work.resolve(name + "-request.txt");
    Files.writeString(file, route + "\n" + EventJson.mapper().readTree(body).path("customerId").asText() + "\n" + body,
        StandardCharsets.UTF_8);
    return file;
  }

  /** What Terraform sets for a function (module service), plus the local app's additions (e.g. the simulated payment provider). */
  private Map<String, String> environment(ServiceManifest m, String function, ServiceManifest.FunctionSpec spec, Path taskRoot) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FANOUT_ENV", "bench");
    env.put("FANOUT_SERVICE", m.service());
    env.put("FANOUT_FUNCTION", function);
    env.put("EVENT_BUS_NAME", "bench-fanout");
    env.put("IDEMPOTENCY_TABLE", "bench-" + m.service() + "-idempotency");
    m.tables().forEach(t -> env.put("TABLE_" + FunctionEnvironment.upperSnake(t.name()), "bench-" + m.service() + "-" + t.name()));
    m.buckets().forEach(b -> env.put("BUCKET_" + FunctionEnvironment.upperSnake(b.name()), "bench-" + m.service() + "-" + b.name()));
    env.put("POWERTOOLS_SERVICE_NAME", m.service());
    env.put("POWERTOOLS_METRICS_NAMESPACE", MetricNames.NAMESPACE);
    env.put("POWERTOOLS_LOG_LEVEL", "INFO");
    // As the function module deploys it; the floors run with the runtime's flags alone, as a bare handler is deployed.
    env.put(JvmOptions.VARIABLE, JvmOptions.value());
    env.putAll(STUB_ACCOUNT);
    env.put("AWS_EMF_ENVIRONMENT", "Local");
    env.put("AWS_LAMBDA_FUNCTION_NAME", "bench-" + m.service() + "-" + function);
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
    // What the java21 runtime sets besides: the X-Ray SDK takes its Lambda segment context from
    // LAMBDA_TASK_ROOT; the daemon's address is the stub's (AwsStub#xrayDaemonEnvironment), which counts what it is sent.
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
    env.putAll(spec.environment());
    LocalEnvironment local = LocalEnvironment.load(repo.resolve("local/app/src/main/resources/local-environment.yaml"));
    env.putAll(local.forFunction(m.service(), function));
    env.remove("FANOUT_TRACER");
    if (options.tracer() != null) {
      env.put("FANOUT_TRACER", options.tracer());
    }
    return env;
  }

  /**
   * {@value #BATCH} stream records for an outbox relay, in the probe's format: per line the item's key,
   * the event id and the envelope its write put in the item's {@code outbox} (the first type the function
   * publishes, from its valid sample, each with its own id and order).
   */
  private Path streamRecords(String name, Catalog catalog, String type) throws IOException {
    Envelope template = EventJson.readEnvelope(Files.readString(validSample(catalog, type)));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      String key = "ord_bench" + i;
      Envelope e = Envelope.first(template.type(), template.version(), template.source(), key, template.data(), template.occurredAt());
      lines.add(key + "\t" + e.id() + "\t" + EventJson.writeEnvelope(e));
    }
    Path file = work.resolve(name + "-records.tsv");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private static Path validSample(Catalog catalog, String type) throws IOException {
    ServiceManifest.Publication publication = catalog.publication(type).orElseThrow();
    Path samples = catalog.schemaFile(type, publication.version()).orElseThrow().getParent()
        .resolve("samples").resolve(type + ".v" + publication.version());
    try (Stream<Path> files = Files.list(samples)) {
      return files.filter(p -> p.getFileName().toString().startsWith("valid")).sorted().findFirst().orElseThrow();
    }
  }

  /** {@value #BATCH} SQS bodies of the consumer's first event type, from its publisher's valid sample, each with its own id. */
  private Path bodies(String name, Catalog catalog, ServiceManifest.Consumer c) throws IOException {
    Envelope template = EventJson.readEnvelope(Files.readString(validSample(catalog, c.on().getFirst())));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      Envelope e = new Envelope(EventIds.random(), template.type(), template.version(), template.source(), template.occurredAt(),
          template.correlationId(), template.causationId(), template.data());
      lines.add(Messages.eventBridgeEvent(e));
    }
    Path file = work.resolve(name + "-bodies.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The probe's jar, then a zip's {@code root} and its {@code jars}: as they are ({@link ClassPath#asLambda}),
   * and with the root jarred as {@code <name>-classes.jar} ({@link ClassPath#forArchive}).
   */
  private ClassPath classPath(Path root, List<Path> jars, String name) throws IOException {
    if (probeJar == null) {
      Path probeClasses = work.resolve("probe");
      copyProbe(probeClasses);
      probeJar = jar(probeClasses, work.resolve("probe.jar"));
    }
    List<Path> asLambda = new ArrayList<>(List.of(probeJar, root));
    asLambda.addAll(jars);
    List<Path> forArchive = new ArrayList<>(List.of(probeJar, jar(root, work.resolve(name + "-classes.jar"))));
    forArchive.addAll(jars);
    return new ClassPath(List.copyOf(asLambda), List.copyOf(forArchive));
  }

  /**
   * The files and directories under {@code dir} (but {@code lib/}) as a jar: AppCDS archives only classes from jars,
   * so the zip's root, which Lambda reads as a directory, is jarred for a run with an archive.
   */
  private static Path jar(Path dir, Path jar) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        Path rel = dir.relativize(p);
        if (rel.toString().isEmpty() || rel.startsWith("lib")) {
          continue;
        }
        if (Files.isDirectory(p)) {
          // As the jar tool writes them: a class loader finds a directory of a jar (the catalog slice) only by its entry.
          out.putNextEntry(new ZipEntry(rel.toString().replace('\\', '/') + "/"));
        } else {
          out.putNextEntry(new ZipEntry(rel.toString().replace('\\', '/')));
          Files.copy(p, out);
        }
      }
    }
    return jar;
  }

  /** The probe and its nested classes (the Lambda context and logger, the invocation it repeats). */
  private static void copyProbe(Path root) throws IOException {
    copyClass(ColdStartProbe.class, root);
    for (String inner : List.of("$1", "$1$1", "$Invocation")) {
      copyResource(ColdStartProbe.class.getName().replace('.', '/') + inner + ".class", root);
    }
  }

  private static void copyClass(Class<?> c, Path root) throws IOException {
    copyResource(c.getName().replace('.', '/') + ".class", root);
  }

  private static void copyResource(String resource, Path root) throws IOException {
    Path target = root.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = ColdStartBench.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " is not on the class path");
      }
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Into an empty {@code dir}: a jar an earlier zip had must not stay on the class path. */
  private static void unzip(Path zip, Path dir) throws IOException {
    Directories.delete(dir);
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException("zip entry outside the directory: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          try (InputStream in = z.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
          }
        }
      }
    }
  }
}
