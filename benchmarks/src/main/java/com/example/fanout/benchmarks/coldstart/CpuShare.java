package com.example.fanout.benchmarks.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A share of one CPU for the processes it starts, as Lambda gives a function's environment one in
 * proportion to its memory (a whole vCPU at 1,769 MB, so about 0.29 at 512 MB): a cgroup of its own
 * under the CPU controller, with a CFS quota of {@code share} times the period. Needs a cgroup the
 * bench may create, as root on most Linux machines; {@link #create} says so when there is none.
 */
public final class CpuShare implements AutoCloseable {
  /** Lambda's: one vCPU at 1,769 MB of memory. */
  public static final int MB_PER_VCPU = 1769;
  private static final long PERIOD_US = 100_000;

  private final Path dir;

  private CpuShare(Path dir) {
    this.dir = dir;
  }

  /** What a function with {@code memoryMb} gets. */
  public static double ofLambdaMemory(int memoryMb) {
    return (double) memoryMb / MB_PER_VCPU;
  }

  /**
   * @param name the cgroup's name under the controller, unique to the caller
   * @param share of one CPU, more than 0 and at most the machine's processors
   * @param controller the CPU controller's mount: {@code /sys/fs/cgroup/cpu} (cgroup v1) or a v2
   *                   hierarchy whose {@code cgroup.subtree_control} holds {@code cpu}
   */
  public static CpuShare create(Path controller, String name, double share) {
    if (!(share > 0) || share > Runtime.getRuntime().availableProcessors()) {
      throw new IllegalArgumentException("a CPU share must be more than 0 and at most " + Runtime.getRuntime().availableProcessors() + ", was " + share);
    }
    if (!Files.exists(controller.resolve("cgroup.procs"))) {
      throw new IllegalStateException("a CPU share needs a cgroup CPU controller; " + controller + " is not a cgroup");
    }
    Path dir = controller.resolve(name);
    try {
      Files.createDirectories(dir);
      long quota = Math.round(share * PERIOD_US);
      if (Files.exists(dir.resolve("cpu.cfs_quota_us"))) {
        Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
      } else {
        Files.writeString(dir.resolve("cpu.max"), quota + " " + PERIOD_US);
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("a CPU share needs a cgroup the bench may create under " + controller
          + " (cgroup v1's cpu controller, or v2 with cpu in its subtree_control; as root on most machines): " + e, e);
    }
    return new CpuShare(dir);
  }

  /** The controller this machine has: cgroup v1's {@code cpu} mount if there is one, else the v2 root. */
  public static Path machineController() {
    Path v1 = Path.of("/sys/fs/cgroup/cpu");
    return Files.exists(v1.resolve("cpu.cfs_quota_us")) ? v1 : Path.of("/sys/fs/cgroup");
  }

  /** {@code command} started inside the share: a shell joins the cgroup, then becomes the command. */
  public List<String> wrap(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", dir.resolve("cgroup.procs").toString()));
    wrapped.addAll(command);
    return wrapped;
  }

  /** How often the share held its processes back: enforcement periods that ran, and those that ran out of quota. */
  public record Throttling(long periods, long throttled) {}

  /** The cgroup's {@code cpu.stat} so far (cgroup v1 and v2 name the two counts alike). */
  public Throttling throttling() throws IOException {
    Map<String, Long> stat = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
      String[] kv = line.trim().split("\\s+");
      stat.put(kv[0], Long.parseLong(kv[1]));
    }
    return new Throttling(stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L));
  }

  /** Removes the cgroup; every process started in it must have ended. */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(dir);
  }
}
