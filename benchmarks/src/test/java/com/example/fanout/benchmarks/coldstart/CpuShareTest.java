package com.example.fanout.benchmarks.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuShareTest {
  @Test
  void ofLambdaMemory_shouldGiveAWholeCpuAt1769Mb_andItsShareBelow() {
    assertThat(CpuShare.ofLambdaMemory(1769)).isEqualTo(1.0);
    assertThat(CpuShare.ofLambdaMemory(512)).isBetween(0.289, 0.290);
  }

  @Test
  void create_shouldRefuseAShareOfNothingOrMoreThanTheMachine() {
    for (double share : new double[] {0, -0.5, Double.NaN, Runtime.getRuntime().availableProcessors() + 1}) {
      assertThatThrownBy(() -> CpuShare.create(CpuShare.machineController(), "fanout-bench-test", share))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPU share");
    }
  }

  @Test
  void create_shouldSayWhatItNeeds_whenThePathIsNoCgroup(@TempDir Path dir) {
    assertThatThrownBy(() -> CpuShare.create(dir, "fanout-bench-test", 0.5))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(dir + " is not a cgroup");
    assertThat(dir.resolve("fanout-bench-test")).doesNotExist();
  }

  /**
   * cgroup v2's files, where this machine mounts v1: a directory shaped like a v2 hierarchy (its
   * {@code cgroup.procs}, and no v1 {@code cpu.cfs_quota_us} in the new cgroup), as the kernel's
   * documentation gives their formats: {@code cpu.max} is "quota period", {@code cpu.stat} has the
   * usage figures before the throttling counts.
   */
  @Test
  void create_shouldWriteCpuMaxAndReadCpuStat_whenTheControllerIsCgroupV2(@TempDir Path hierarchy) throws Exception {
    Files.writeString(hierarchy.resolve("cgroup.procs"), "");
    Path dir = hierarchy.resolve("fanout-bench-v2");

    CpuShare share = CpuShare.create(hierarchy, "fanout-bench-v2", CpuShare.ofLambdaMemory(512));

    assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("28943 100000");
    assertThat(dir.resolve("cpu.cfs_quota_us")).doesNotExist();
    assertThat(share.wrap(List.of("java", "-version"))).containsSubsequence(dir.resolve("cgroup.procs").toString(), "java", "-version");
    Files.writeString(dir.resolve("cpu.stat"), """
        usage_usec 8123456
        user_usec 7000000
        system_usec 1123456
        nr_periods 412
        nr_throttled 137
        throttled_usec 9876543
        nr_bursts 0
        burst_usec 0
        """);
    assertThat(share.throttling()).isEqualTo(new CpuShare.Throttling(412, 137));
  }

  @Test
  void wrap_shouldRunTheCommandInACgroupWhoseQuotaThrottlesIt_whenTheMachineLetsTheBenchMakeOne() throws Exception {
    Path controller = CpuShare.machineController();
    assumeThat(Files.isWritable(controller)).as("a cgroup CPU controller this user may write to (root here)").isTrue();
    String name = "fanout-bench-test-" + ProcessHandle.current().pid();
    Path dir = controller.resolve(name);
    try (CpuShare share = CpuShare.create(controller, name, 0.1)) {
      Path quota = dir.resolve("cpu.cfs_quota_us");
      assertThat(Files.exists(quota) ? Files.readString(quota).trim() : Files.readString(dir.resolve("cpu.max")).trim())
          .isIn("10000", "10000 100000");

      // The shell reports its cgroup, then spins until the quota has throttled it at least once.
      Process p = new ProcessBuilder(share.wrap(List.of("/bin/sh", "-c",
          "cat /proc/self/cgroup; i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done"))).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      assertThat(out.lines()).as("the command ran in the share's cgroup").anySatisfy(l -> assertThat(l).endsWith("/" + name));
      String stat = Files.readString(dir.resolve("cpu.stat"));
      assertThat(stat.lines().filter(l -> l.startsWith("nr_throttled ")).findFirst().orElseThrow())
          .as("the quota held it back").isNotEqualTo("nr_throttled 0");
    }
    assertThat(dir).as("closed: the cgroup is removed").doesNotExist();
  }
}
