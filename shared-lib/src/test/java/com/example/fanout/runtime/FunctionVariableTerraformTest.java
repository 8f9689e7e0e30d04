package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.example.fanout.contract.PlatformContract;
import com.example.fanout.event.EventJson;
import com.example.fanout.testing.Repo;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seam between {@link FunctionVariable} and the function module's plan-time validation of
 * {@code environment}: the real {@code terraform} plans the module's own {@code variable "environment"}
 * block (read from {@code variables.tf}, with contract.json as the module reads it) for each value,
 * and must refuse exactly what Java refuses, with the same message.
 */
class FunctionVariableTerraformTest {
  private static final Path VARIABLES = Repo.root().resolve("terraform/modules/function/variables.tf");

  @TempDir
  static Path module;

  @BeforeAll
  static void environmentBlockAlone() throws IOException {
    assumeTrue(terraformOnPath(), "terraform is not on the PATH: the plan-time validation check is skipped");
    Files.writeString(module.resolve("main.tf"), """
        locals {
          contract = jsondecode(file("%s"))
        }

        %s
        """.formatted(Repo.root().resolve(PlatformContract.FILE).toString().replace("\\", "/"), block(Files.readString(VARIABLES), "environment")));
  }

  /** Values to try per variable: each plan sets the i-th value of every variable at once, to keep the plans few. */
  private static final Map<FunctionVariable, List<String>> CASES = new TreeMap<>(Map.of(
      FunctionVariable.POWERTOOLS_LOGGER_SAMPLE_RATE, List.of("0", "0.1", " 0.5 ", "1", "1.0", "1.5", "abc", "0,1", "10%", "1e-1", ".5", "-0.1", "0x1p-3", "NaN", ""),
      FunctionVariable.POWERTOOLS_LOG_LEVEL, List.of("INFO", "debug", "Warn", "LOUD", "", "INFO DEBUG"),
      FunctionVariable.POWERTOOLS_METRICS_NAMESPACE, List.of("Fanout", "fanout-test", "two words", "x".repeat(255), "x".repeat(256)),
      FunctionVariable.IDEMPOTENCY_EXPIRY_SECONDS, List.of("60", "59", "1900800", "31622400", "31622401", "1d", "+60", "60.5", "99999999999999999999"),
      FunctionVariable.RETRY_BACKOFF_BASE_SECONDS, List.of("0", "1", "43200", "43201", "-5"),
      FunctionVariable.QUEUE_RETENTION_SECONDS, List.of("345600", "1209600", "1209601"),
      FunctionVariable.FANOUT_TRACER, List.of("xray", "otel", "none", "jaeger", "local", "XRAY")));

  static Stream<Arguments> rounds() {
    int rounds = CASES.values().stream().mapToInt(List::size).max().orElseThrow();
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      Map<String, String> environment = new TreeMap<>();
      for (Map.Entry<FunctionVariable, List<String>> c : CASES.entrySet()) {
        if (i < c.getValue().size()) {
          environment.put(c.getKey().name(), c.getValue().get(i));
        }
      }
      environment.put("PAYMENT_PROVIDER", "anything the service reads itself " + i);
      out.add(Arguments.of(environment));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rounds")
  void plan_shouldRefuseExactlyWhatTheRuntimeRefusesWithItsMessage(Map<String, String> environment) throws Exception {
    // Terraform iterates a map in key order and joins the problems with "; ".
    List<String> java = environment.entrySet().stream()
        .flatMap(e -> FunctionVariable.named(e.getKey()).flatMap(v -> v.problem(e.getValue())).stream())
        .toList();

    assertThat(terraformProblem(environment)).as("Terraform's plan (left) and FunctionVariable (right) on %s", environment)
        .isEqualTo(java.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", java)));
  }

  @Test
  void contractJson_shouldCarryEveryRuntimeVariable_whichTheValidationReads() throws IOException {
    JsonNode rules = EventJson.parse(Files.readString(Repo.root().resolve(PlatformContract.FILE))).path("function_variables");
    for (FunctionVariable v : FunctionVariable.values()) {
      assertThat(rules.path(v.name()).path("pattern").asText()).as(v.name()).isEqualTo(v.pattern());
      assertThat(rules.path(v.name()).path("rule").asText()).as(v.name()).isEqualTo(v.rule());
    }
  }

  /** The validation's message for {@code environment}, empty if the plan accepts it. */
  private static Optional<String> terraformProblem(Map<String, String> environment) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("terraform", "plan", "-input=false", "-no-color", "-json", "-var",
        "environment=" + EventJson.mapper().writeValueAsString(environment))
        .directory(module.toFile()).redirectErrorStream(true);
    pb.environment().put("CHECKPOINT_DISABLE", "1");
    pb.environment().put("TF_DATA_DIR", module.resolve(".terraform").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> problems = new ArrayList<>();
    for (String line : out.lines().filter(l -> l.startsWith("{")).toList()) {
      JsonNode diagnostic = EventJson.parse(line).path("diagnostic");
      if (diagnostic.path("severity").asText().equals("error")) {
        assertThat(diagnostic.path("summary").asText()).as(out).isEqualTo("Invalid value for variable");
        String detail = diagnostic.path("detail").asText();
        problems.add(detail.substring(0, detail.indexOf("\n\nThis was checked by")));
      }
    }
    assertThat(p.exitValue() == 0).as(out).isEqualTo(problems.isEmpty());
    assertThat(problems).as("one validation, one diagnostic").hasSizeLessThanOrEqualTo(1);
    return problems.stream().findFirst();
  }

  /** The text of {@code variable "<name>" { ... }} in a .tf file, by brace depth outside strings. */
  static String block(String tf, String variable) {
    int start = tf.indexOf("variable \"" + variable + "\" {");
    assertThat(start).as("variable " + variable + " in " + VARIABLES).isNotNegative();
    int depth = 0;
    boolean inString = false;
    for (int i = tf.indexOf('{', start); i < tf.length(); i++) {
      char c = tf.charAt(i);
      if (c == '"' && tf.charAt(i - 1) != '\\') {
        inString = !inString;
      } else if (!inString && c == '{') {
        depth++;
      } else if (!inString && c == '}' && --depth == 0) {
        return tf.substring(start, i + 1);
      }
    }
    throw new AssertionError("variable " + variable + " is not closed in " + VARIABLES);
  }

  private static boolean terraformOnPath() {
    try {
      return new ProcessBuilder("terraform", "version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
