package com.example.fanout.benchmarks.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdStartClassPathTest {
  private static final ColdStartBench.ClassPath PATHS = new ColdStartBench.ClassPath(
      List.of(Path.of("probe.jar"), Path.of("zip-root"), Path.of("lib/a.jar")),
      List.of(Path.of("probe.jar"), Path.of("zip-root-classes.jar"), Path.of("lib/a.jar")));

  @Test
  void of_shouldLoadAsLambdaDoes_whenNoArchiveIsNamed() {
    assertThat(PATHS.of(List.of())).isEqualTo(PATHS.asLambda());
    assertThat(PATHS.of(List.of("-Xlog:class+load:file=/tmp/cl.log", "-XX:AOTMode=off"))).isEqualTo(PATHS.asLambda());
  }

  @Test
  void of_shouldTakeTheJarredRoot_forEveryFlagThatWritesOrReadsAnArchive() {
    for (String flag : List.of("-XX:ArchiveClassesAtExit=f.jsa", "-XX:SharedArchiveFile=f.jsa", "-XX:AOTCacheOutput=f.aot",
        "-XX:AOTCache=f.aot")) {
      assertThat(PATHS.of(List.of("-XX:AOTMode=on", flag))).as(flag).isEqualTo(PATHS.forArchive());
    }
  }

  /**
   * Why the two paths: the JDK the bench runs writes no archive from a class path that holds a
   * directory with files in it (a function's zip root holds its classes and its catalog slice), and
   * writes and uses one once that root is a jar.
   */
  @Test
  void theJvm_shouldUseAnArchiveWithTheJarredRoot_andRefuseItWithTheRootAsADirectory(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("zip-root");
    String mainClass = Main.class.getName().replace('.', '/') + ".class";
    Path classFile = root.resolve(mainClass);
    Files.createDirectories(classFile.getParent());
    try (InputStream in = Main.class.getClassLoader().getResourceAsStream(mainClass)) {
      Files.copy(in, classFile);
    }
    Files.createDirectories(root.resolve("fanout-slice/inventory"));
    Files.writeString(root.resolve("fanout-slice/inventory/service.json"), "{}");
    Path jar = dir.resolve("zip-root-classes.jar");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry(mainClass));
      Files.copy(classFile, out);
    }
    ColdStartBench.ClassPath paths = new ColdStartBench.ClassPath(List.of(root), List.of(jar));

    Path archive = dir.resolve("bench.jsa");
    List<String> dump = List.of("-XX:ArchiveClassesAtExit=" + archive);
    assertThat(java(paths.of(dump), dump)).contains("main ran");
    assertThat(archive).isRegularFile();
    List<String> use = List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive);
    assertThat(java(paths.of(use), use)).contains("main ran");

    Path fromDirectory = dir.resolve("directory.jsa");
    assertThat(java(paths.asLambda(), List.of("-XX:ArchiveClassesAtExit=" + fromDirectory))).contains("non-empty directory");
    assertThat(fromDirectory).doesNotExist();
  }

  private static String java(List<Path> classPath, List<String> flags) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(flags);
    command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()),
        Main.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  /** What the JVMs of the test run. */
  public static final class Main {
    public static void main(String[] args) {
      System.out.println("main ran");
    }
  }
}
