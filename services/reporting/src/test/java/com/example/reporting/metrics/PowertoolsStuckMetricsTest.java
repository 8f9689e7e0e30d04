package com.example.reporting.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.contract.MetricNames;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PowertoolsStuckMetricsTest {
  @Test
  void sagasStuck_shouldPrintOneEmfDocumentWithTheCount_whenTheWatchdogRuns() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      new PowertoolsStuckMetrics("fanout-test", "reporting").sagasStuck(3);
    } finally {
      System.setOut(original);
    }

    JsonNode emf = out.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("\"_aws\""))
        .map(EventJson::parse)
        .findFirst().orElseThrow(() -> new AssertionError("no EMF document on stdout: " + out));
    // The names the SagaStuck alarm watches (terraform/contract.json), spelled out: a rename must fail here.
    assertThat(emf.get("SagaStuck").asInt()).isEqualTo(3);
    assertThat(emf.get("Service").asText()).isEqualTo("reporting");
    assertThat(directive(emf).get("Dimensions").get(0).get(0).asText()).isEqualTo(MetricNames.SERVICE_DIMENSION);
    JsonNode directive = directive(emf);
    assertThat(directive.get("Namespace").asText()).isEqualTo("fanout-test");
    assertThat(directive.get("Metrics").get(0).get("Name").asText()).isEqualTo(MetricNames.SAGA_STUCK);
    assertThat(directive.get("Metrics").get(0).get("Unit").asText()).isEqualTo("Count");
  }

  private static JsonNode directive(JsonNode emf) {
    return emf.get("_aws").get("CloudWatchMetrics").get(0);
  }
}
