package com.example.fanout.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code make bench}: runs every benchmark, then prints each one as a ratio to the {@code baseline*}
 * method of its class, measured in the same run, and writes the table with the machine it ran on to
 * {@code benchmarks/results/<date>.md}.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) throws RunnerException, IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
    Options options = new OptionsBuilder()
        .include(BenchmarkMain.class.getPackageName() + ".*Benchmark")
        .forks(1)
        .warmupIterations(3).warmupTime(TimeValue.seconds(2))
        .measurementIterations(5).measurementTime(TimeValue.seconds(2))
        .jvmArgsAppend("-Xmx1g")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    String table = table(results);
    System.out.println();
    System.out.println(table);
    Files.createDirectories(out);
    Path file = out.resolve(LocalDate.now() + ".md");
    Files.writeString(file, "# Benchmark results " + LocalDate.now() + "\n\n" + machine() + "\n" + table);
    System.out.println("wrote " + file);
  }

  static String table(Collection<RunResult> results) {
    Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      byClass.computeIfAbsent(label.substring(0, label.lastIndexOf('.')), k -> new ArrayList<>()).add(r);
    }
    StringBuilder sb = new StringBuilder("| benchmark | score | error (99.9 %) | unit | ratio to baseline |\n|---|---:|---:|---|---:|\n");
    byClass.forEach((cls, runs) -> {
      RunResult baseline = runs.stream().filter(r -> method(r).startsWith("baseline")).findFirst().orElse(null);
      for (RunResult r : runs) {
        var primary = r.getPrimaryResult();
        String ratio = "—";
        if (baseline != null && r != baseline) {
          double x = primary.getScore() / baseline.getPrimaryResult().getScore();
          ratio = String.format("%.2fx %s", x, r.getParams().getMode() == Mode.Throughput ? "the throughput" : "the time");
        } else if (r == baseline) {
          ratio = "baseline";
        }
        sb.append(String.format("| %s.%s | %.2f | %.2f | %s | %s |%n", cls.substring(cls.lastIndexOf('.') + 1), method(r),
            primary.getScore(), primary.getScoreError(), primary.getScoreUnit(), ratio));
      }
    });
    return sb.toString();
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
    return String.format("Machine: %d cores (%s), %d MiB max heap per fork, %s %s, %s %s; load average at start %.2f.%n"
            + "JMH: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement. Ratios compare methods of one class measured in the same run.%n",
        rt.availableProcessors(), cpu, 1024, System.getProperty("java.vm.name"), System.getProperty("java.version"),
        System.getProperty("os.name"), System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
