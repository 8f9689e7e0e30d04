package com.example.reporting.metrics;

import static org.assertj.core.api.Assertions.assertThat;

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
      new PowertoolsStuckMetrics("fanout-test").sagasStuck(3);
    } finally {
      System.setOut(original);
    }

    JsonNode emf = out.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("\"_aws\""))
        .map(EventJson::parse)
        .findFirst().orElseThrow(() -> new AssertionError("no EMF document on stdout: " + out));
    assertThat(emf.get("SagasStuck").asInt()).isEqualTo(3);
    assertThat(emf.get("service").asText()).isEqualTo("reporting");
    JsonNode directive = emf.get("_aws").get("CloudWatchMetrics").get(0);
    assertThat(directive.get("Namespace").asText()).isEqualTo("fanout-test");
    assertThat(directive.get("Metrics").get(0).get("Name").asText()).isEqualTo("SagasStuck");
    assertThat(directive.get("Metrics").get(0).get("Unit").asText()).isEqualTo("Count");
  }
}
