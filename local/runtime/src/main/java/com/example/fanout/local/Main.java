package com.example.fanout.local;

import com.example.fanout.manifest.InvalidManifestException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run}: starts the platform from the manifests, prints its endpoints and a live view of
 * every consumer's queue, and serves until Ctrl-C.
 *
 * <pre>
 * --services DIR        service manifests (default: services)
 * --env NAME            environment prefix of every resource (default: local)
 * --data-dir DIR        archive and span logs (default: local-data)
 * --clock-speed N       schedules and retry delays run N times faster (default: 1)
 * --fault SPEC          e.g. inventory-reserve-stock:crash=0.1,throttle=0.05,duplicate=0.2,delay=250ms,poison=0.01
 *                       (repeatable; '*' for every consumer)
 * --fault-seed N        seed of the fault draws (default: 42)
 * --free-ports          pick free ports instead of the well-known ones (3000, 4010, 9324, 8000, 9000, 4020, 4000)
 * --status-every S      seconds between live-view refreshes, 0 for none (default: 2)
 * --demo                place one order (the OrderPlaced sample) and print its timeline
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    Path services = Path.of("services");
    String env = "local";
    Path dataDir = Path.of("local-data");
    double clockSpeed = 1;
    FaultPlan.Builder faults = FaultPlan.builder();
    Ports ports = Ports.WELL_KNOWN;
    int statusEvery = 2;
    boolean demo = false;
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
        case "--demo" -> demo = true;
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
    long t0 = System.nanoTime();
    LocalPlatform platform = LocalPlatform.builder().servicesDir(services).env(env).dataDir(dataDir)
        .clockSpeed(clockSpeed).faults(faults.build()).ports(ports).build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nstopping the local platform...");
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
    System.out.println("\nfanout local platform '" + env + "' ready in " + readyMs + " ms (clock x" + clockSpeed + ")");
    System.out.println(endpoints.describe());
    System.out.println("\nfor the AWS CLI / SDKs, bin/fanout and the runbooks:");
    endpoints.cliEnvironment().forEach((k, v) -> System.out.println("  export " + k + "=" + v));
    System.out.println("  export ENV=" + env);
    List<String> warnings = platform.warnings();
    if (!warnings.isEmpty()) {
      System.out.println("\n" + warnings.size() + " handler(s) not loaded (see the warnings above): their triggers are provisioned,"
          + " their queues fill up without a consumer.");
    }
    if (demo) {
      OrderDemo.run(platform, System.out);
    }
    System.out.println("\nCtrl-C stops everything.\n");
    if (statusEvery > 0) {
      LiveView view = new LiveView(platform, System.out);
      int every = statusEvery;
      Thread.ofPlatform().daemon().name("live-view").start(() -> view.run(every));
    }
    stopped.await();
  }

  private static void usage(PrintStream out) {
    out.println("usage: Main [--services DIR] [--env NAME] [--data-dir DIR] [--clock-speed N] [--fault SPEC]... "
        + "[--fault-seed N] [--free-ports] [--status-every SECONDS] [--demo]");
  }
}
