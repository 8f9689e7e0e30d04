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
