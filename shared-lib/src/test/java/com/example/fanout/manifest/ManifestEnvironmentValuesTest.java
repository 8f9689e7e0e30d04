package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The values a manifest sets for variables the function runtime reads are checked with the runtime's own rules. */
class ManifestEnvironmentValuesTest {
  private static final String MANIFEST = """
      service: inventory
      source: com.example.inventory
      description: test
      owner: team-inventory
      consumers:
        - name: reserve-stock
          handler: com.example.inventory.handler.ReserveStockHandler
          "on": [OrderPlaced]
          batch: { size: 10, window_seconds: 1, max_concurrency: 5 }
          function:
            memory_mb: 1024
            timeout_seconds: 20
            reserved_concurrency: 20
            environment:
              NAME: "VALUE"
          queue: { visibility_timeout_seconds: 120, max_receive_count: 5 }
      """;

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "POWERTOOLS_LOGGER_SAMPLE_RATE | abc    | must be a number from 0 to 1 (a dot for decimals)",
      "POWERTOOLS_LOGGER_SAMPLE_RATE | 0,1    | must be a number from 0 to 1 (a dot for decimals)",
      "POWERTOOLS_LOGGER_SAMPLE_RATE | 10%    | must be a number from 0 to 1 (a dot for decimals)",
      "POWERTOOLS_LOGGER_SAMPLE_RATE | 1.5    | must be a number from 0 to 1 (a dot for decimals)",
      "POWERTOOLS_LOG_LEVEL          | LOUD   | must be one of [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]",
      "IDEMPOTENCY_EXPIRY_SECONDS    | 1d     | must be a whole number from 60 to 31622400",
      "RETRY_BACKOFF_BASE_SECONDS    | 0      | must be a whole number from 1 to 43200",
      "RETRY_BACKOFF_MAX_SECONDS     | 50000  | must be a whole number from 1 to 43200",
      "FANOUT_TRACER                 | jaeger | must be one of [xray, otel, none]",
  })
  void parse_shouldReportTheVariable_whenItsValueBreaksTheRuntimeRule(String name, String value, String reason) {
    assertThat(problems(name, value)).singleElement().asString()
        .isEqualTo("inventory.yaml: consumers[0].function.environment." + name + ": " + name + " " + reason + ", was '" + value + "'");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "POWERTOOLS_LOGGER_SAMPLE_RATE | 0.1",
      "POWERTOOLS_LOG_LEVEL          | debug",
      "IDEMPOTENCY_EXPIRY_SECONDS    | 1900800",
      "FANOUT_TRACER                 | otel",
      "PAYMENT_PROVIDER              | anything the service reads itself",
  })
  void parse_shouldAcceptTheValue_whenTheRuntimeCanUseIt(String name, String value) {
    assertThat(problems(name, value)).isEmpty();
  }

  private static List<String> problems(String name, String value) {
    try {
      ManifestLoader.parse("inventory.yaml", MANIFEST.replace("NAME: \"VALUE\"", name + ": \"" + value + "\""), null);
    } catch (InvalidManifestException e) {
      return e.problems().stream().map(ManifestProblem::toString).toList();
    }
    return List.of();
  }
}
