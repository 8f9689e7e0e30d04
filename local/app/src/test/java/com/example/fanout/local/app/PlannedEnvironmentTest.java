package com.example.fanout.local.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.contract.EnvironmentNames;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.lambda.LocalFunction;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every function Terraform applies gets, on the local runtime, every variable its planned
 * environment has, with the same value once the environment prefix and account are swapped: what
 * the runtime requires in AWS is what it gets here (state from {@code make tf-json}). Values the
 * local environment overrides on purpose (ADR 0021) are the exception.
 */
@ExtendWith(SagaPlatform.Lifecycle.class)
class PlannedEnvironmentTest {
  private static final String PLANNED_ENV = AppliedState.ENV;
  /** Terraform's own JVM flags; the local runtime hosts every function in one JVM. */
  private static final List<String> LAMBDA_ONLY = List.of("JAVA_TOOL_OPTIONS");

  @Test
  void everyAppliedFunction_shouldGetItsPlannedEnvironmentOnTheLocalRuntime() throws Exception {
    Map<String, Map<String, String>> planned = new LinkedHashMap<>();
    for (JsonNode fn : AppliedState.resources("aws_lambda_function")) {
      Map<String, String> env = new LinkedHashMap<>();
      fn.path("values").path("environment").path(0).path("variables").fields()
          .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      planned.put(fn.path("values").path("function_name").asText(), env);
    }
    assertThat(planned).as("functions in the applied state").isNotEmpty();

    LocalPlatform platform = SagaPlatform.get();
    List<String> problems = new ArrayList<>();
    planned.forEach((name, env) -> {
      String local = SagaPlatform.ENV + name.substring(PLANNED_ENV.length());
      LocalFunction fn = platform.functions().get(local);
      if (fn == null) {
        problems.add(local + " is not hosted locally");
        return;
      }
      env.forEach((key, value) -> {
        if (LAMBDA_ONLY.contains(key) || SagaPlatform.localEnvironment()
            .forFunction(env.get(EnvironmentNames.FANOUT_SERVICE), env.get(EnvironmentNames.FANOUT_FUNCTION)).containsKey(key)) {
          return;
        }
        String got = fn.environment().get(key);
        if (got == null) {
          problems.add(local + ": " + key + " is not set locally");
        } else if (!sameResource(value, got, env.get(EnvironmentNames.FANOUT_ENV))) {
          problems.add(local + ": " + key + " is " + got + " locally, " + value + " planned");
        }
      });
    });
    assertThat(problems).as("planned environment variables the local runtime does not set alike").isEmpty();
  }

  /** Equal, or the same name under the other environment prefix and account (a queue URL ends with it). */
  private static boolean sameResource(String planned, String local, String plannedEnv) {
    if (planned.equals(local) || planned.equals(plannedEnv) && local.equals(SagaPlatform.ENV)) {
      return true;
    }
    String normalizedPlanned = planned.replaceAll("\\d{12}", "ACCOUNT").replaceAll("(^|[/:])" + PLANNED_ENV + "-", "$1ENV-");
    String normalizedLocal = local.replaceAll("\\d{12}", "ACCOUNT").replaceAll("(^|[/:])" + SagaPlatform.ENV + "-", "$1ENV-");
    return normalizedPlanned.equals(normalizedLocal)
        || normalizedLocal.substring(normalizedLocal.lastIndexOf('/') + 1).equals(normalizedPlanned.substring(normalizedPlanned.lastIndexOf('/') + 1));
  }
}
