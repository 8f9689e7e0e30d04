package com.example.fanout.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.testing.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {

  @Test
  void value_shouldBeWhatAJvmTakesFromJavaToolOptions_withEveryFlagInForce() throws Exception {
    // A flag the JVM does not know stops it before the handler loads: in Lambda, every invocation would fail at init.
    ProcessBuilder jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true);
    jvm.environment().put(JvmOptions.VARIABLE, JvmOptions.value());
    Process process = jvm.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).as(output).isZero();
    assertThat(output).contains("Picked up " + JvmOptions.VARIABLE + ": " + JvmOptions.value());
    assertThat(finalFlags(output)).containsEntry("TieredCompilation", "true").containsEntry("TieredStopAtLevel", "1")
        .containsEntry("MetaspaceSize", Long.toString(64L << 20)).containsEntry("SweeperThreshold", "50.000000");
  }

  @Test
  void contract_shouldCarryTheValueTheFunctionModuleDeploysWith() throws IOException {
    var contract = EventJson.mapper().readTree(Repo.root().resolve(PlatformContract.FILE).toFile());

    assertThat(contract.path("java_tool_options").asText()).isEqualTo(JvmOptions.value());
  }

  /** {@code -XX:+PrintFlagsFinal}'s lines, as flag name to value. */
  private static Map<String, String> finalFlags(String output) {
    Matcher line = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)", Pattern.MULTILINE).matcher(output);
    return line.results().collect(Collectors.toMap(r -> r.group(1), r -> r.group(2), (a, b) -> a));
  }
}
