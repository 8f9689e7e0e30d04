package com.example.fanout.local;

import com.example.fanout.manifest.InvalidManifestException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import com.example.fanout.local.iam.IamMode;
import com.example.fanout.local.iam.IamSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code make run}: starts the platform from the manifests, prints its endpoints and a live view of
 * every consumer's queue, and serves until Ctrl-C. An application on top of the runtime (the
 * reference services' {@code local/app}) calls {@link #run(String[], App)} with its {@link App}:
 * the same options, plus its functions' local environment and its own demo.
 *
 * <pre>
 * --services DIR        service manifests (default: services)
 * --env NAME            environment prefix of every resource (default: local)
 * --data-dir DIR        archive and span logs (default: local-data)
 * --persist             keep queues, tables, streams, buckets, secrets and e-mails in the data directory,
 *                       so that the next start on it carries on where this one stopped (default: start empty)
 * --clock-speed N       schedules and retry delays run N times faster (default: 1)
 * --fault SPEC          e.g. inventory-reserve-stock:crash=0.1,throttle=0.05,duplicate=0.2,delay=250ms,poison=0.01
 *                       (repeatable; '*' for every consumer)
 * --fault-seed N        seed of the fault draws (default: 42)
 * --free-ports          pick free ports instead of the well-known ones (3000, 4010, 9324, 8000, 9000, 4020, 4030, 4000)
 * --status-every S      seconds between live-view refreshes, 0 for none (default: 2)
 * --local-env FILE      functions' local environment (YAML, see LocalEnvironment), instead of the app's
 * --function-logs FILE  where functions' stdout (JSON logs, EMF metrics) goes; '-' for the console
 *                       (default: the console; with an app, DATA_DIR/logs/functions.jsonl)
 * --iam MODE            enforce (default), warn or off: each function's calls checked against its role as Terraform plans it
 * --iam-plan FILE       that Terraform JSON (default: target/terraform/envs/dev/state.json, written by make tf-json)
 * --demo / --no-demo    run the demo after start-up (default: off; on with an app). Without an app
 *                       the demo places one order (the OrderPlaced sample) and prints its timeline
 * </pre>
 */
public final class Main {
  private Main() {}

  /** What an application adds to the runtime's {@code Main}. */
  public interface App {
    /** Adds to the platform before it starts, e.g. {@link LocalPlatform.Builder#localEnvironment}. */
    default void configure(LocalPlatform.Builder builder) {}

    /** Runs once the platform is ready, demo or not (e.g. seeds data the services need). */
    default void started(LocalPlatform platform, PrintStream console) throws Exception {}

    /** Runs after {@link #started} (with {@code --demo}, the default for an app); prints to {@code console}. */
    void demo(LocalPlatform platform, PrintStream console) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    run(args, null);
  }

  public static void run(String[] args, App app) throws Exception {
    Path services = Path.of("services");
    String env = "local";
    Path dataDir = Path.of("local-data");
    double clockSpeed = 1;
    FaultPlan.Builder faults = FaultPlan.builder();
    Ports ports = Ports.WELL_KNOWN;
    int statusEvery = 2;
    boolean demo = app != null;
    boolean persist = false;
    Path localEnv = null;
    IamMode iamMode = IamMode.ENFORCE;
    Path iamPlan = IamSettings.DEFAULT_JSON;
    String functionLogs = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--services" -> services = Path.of(args[++i]);
        case "--env" -> env = args[++i];
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--clock-speed" -> clockSpeed = Double.parseDouble(args[++i]);
        case "--fault" -> faults.parse(args[++i]);
        case "--fault-seed" -> faults.seed(Long.parseLong(args[++i]));
        case "--free-ports" -> ports = Ports.FREE;
        case "--status-every" -> statusEvery = Integer.parseInt(args[++i]);
        case "--local-env" -> localEnv = Path.of(args[++i]);
        case "--function-logs" -> functionLogs = args[++i];
        case "--iam" -> iamMode = IamMode.parse(args[++i]);
        case "--iam-plan" -> iamPlan = Path.of(args[++i]);
        case "--persist" -> persist = true;
        case "--demo" -> demo = true;
        case "--no-demo" -> demo = false;
        case "-h", "--help" -> {
          usage(System.out);
          return;
        }
        default -> {
          System.err.println("unknown option " + a);
          usage(System.err);
          System.exit(2);
        }
      }
    }
    if (functionLogs == null && app != null) {
      functionLogs = dataDir.resolve("logs").resolve("functions.jsonl").toString();
    }
    PrintStream console = System.out;
    if (functionLogs != null && !"-".equals(functionLogs)) {
      redirectStdout(Path.of(functionLogs));
      console.println("functions' logs and EMF metrics: " + functionLogs + " (one JSON object per line)");
    }
    long t0 = System.nanoTime();
    LocalPlatform.Builder builder = LocalPlatform.builder().servicesDir(services).env(env).dataDir(dataDir)
        .clockSpeed(clockSpeed).faults(faults.build()).ports(ports)
        .persist(persist);
    if (app != null) {
      app.configure(builder);
    }
    builder.iam(IamSettings.of(iamMode, iamPlan));
    if (localEnv != null) {
      builder.localEnvironment(LocalEnvironment.load(localEnv));
    }
    LocalPlatform platform = builder.build();
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      console.println("\nstopping the local platform...");
      platform.close();
      stopped.countDown();
    }, "local-platform-shutdown"));
    Endpoints endpoints;
    try {
      endpoints = platform.start();
    } catch (InvalidManifestException e) {
      System.err.println("the manifests have problems; fix them and run again:\n" + e.getMessage());
      System.exit(1);
      return;
    }
    long readyMs = (System.nanoTime() - t0) / 1_000_000;
    console.println("\nfanout local platform '" + env + "' ready in " + readyMs + " ms (clock x" + clockSpeed + ")");
    console.println(persist
        ? "data kept in " + dataDir.toAbsolutePath() + " (--persist): a start on it carries on where the last one stopped"
        : "data in memory: every start is empty (--persist keeps it in " + dataDir + ")");
    console.println(endpoints.describe());
    console.println("\nfor the AWS CLI / SDKs, bin/fanout and the runbooks:");
    endpoints.cliEnvironment().forEach((k, v) -> console.println("  export " + k + "=" + v));
    console.println("  export ENV=" + env);
    List<String> warnings = platform.warnings();
    if (!warnings.isEmpty()) {
      console.println("\n" + warnings.size() + " handler(s) not loaded: their triggers are provisioned,"
          + " their queues fill up without a consumer.");
      warnings.forEach(w -> console.println("  " + w));
    }
    if (app != null) {
      app.started(platform, console);
    }
    if (demo) {
      App shown = app;
      boolean ended = runDemo(() -> {
        if (shown != null) {
          shown.demo(platform, console);
        } else {
          OrderDemo.run(platform, console);
        }
      }, stopping::get, console);
      if (!ended) {
        stopped.await();
        return;
      }
    }
    console.println("\nCtrl-C stops everything" + (persist ? " and keeps the data for the next start.\n" : ".\n"));
    if (statusEvery > 0) {
      LiveView view = new LiveView(platform, console);
      int every = statusEvery;
      Thread.ofPlatform().daemon().name("live-view").start(() -> view.run(every));
    }
    stopped.await();
  }

  /** The demo, as {@link #runDemo} runs it. */
  @FunctionalInterface
  interface Demo {
    void run() throws Exception;
  }

  /**
   * Runs the demo; false when the platform began to stop (Ctrl-C) while it ran. The demo's next
   * call then meets a stopped platform: that failure is the end of the demo, not an error to show.
   * A failure before the stop is thrown.
   */
  static boolean runDemo(Demo demo, BooleanSupplier stopping, PrintStream console) throws Exception {
    try {
      demo.run();
      return true;
    } catch (Exception e) {
      if (!stopping.getAsBoolean()) {
        throw e;
      }
      console.println("demo ended by the stop");
      return false;
    }
  }

  /** Functions write to stdout as in Lambda (CloudWatch Logs there, this file here). */
  private static void redirectStdout(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    System.setOut(new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8));
  }

  private static void usage(PrintStream out) {
    out.println("usage: Main [--services DIR] [--env NAME] [--data-dir DIR] [--persist] [--clock-speed N] [--fault SPEC]... "
        + "[--fault-seed N] [--free-ports] [--status-every SECONDS] [--local-env FILE] [--function-logs FILE|-] [--iam enforce|warn|off] [--iam-plan FILE] [--demo|--no-demo]");
  }
}
