package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.contract.MetricNames;
import com.example.fanout.contract.PlatformContract;
import com.example.fanout.event.EventJson;
import com.example.fanout.testing.Repo;
import com.example.fanout.testing.StdoutCapture;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.Tracer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The EMF document every non-SQS invocation writes, read back as CloudWatch would read the log line. */
class FunctionMetricsTest {
  private final FunctionRuntime runtime = new FunctionRuntime("orders", "outbox-relay", 0, Tracer.none(), "fanout-test");

  @Test
  void invoke_shouldWriteOneEmfDocumentWithTheBatchCounts_whenTheTriggerReportsPartialFailures() {
    JsonNode emf = emfOf(() -> runtime.invoke(new TestLambdaContext("dev-orders-outbox-relay"), "stream", "ord_1",
        () -> List.of("seq-7", "seq-8"), failedSequenceNumbers -> InvocationOutcome.ofBatch(5, failedSequenceNumbers.size())));

    JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(directive.path("Namespace").asText()).isEqualTo("fanout-test");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"" + MetricNames.FUNCTION_DIMENSION + "\"]]");
    assertThat(emf.path("function").asText()).isEqualTo("orders.outbox-relay");
    assertThat(emf.path("trigger").asText()).isEqualTo("stream");
    assertThat(metricNames(directive)).containsExactlyInAnyOrderElementsOf(MetricNames.FUNCTION_METRICS);
    assertThat(emf.path("EventsProcessed").asDouble()).isEqualTo(3.0);
    assertThat(emf.path("EventsFailed").asDouble()).isEqualTo(2.0);
    assertThat(emf.path("HandlerLatency").asDouble()).isGreaterThanOrEqualTo(0.0);
    assertThat(directive.path("Metrics").findValuesAsText("Unit")).contains("Count", "Milliseconds");
  }

  @Test
  void invoke_shouldCountOneFailure_whenTheBodyThrows() {
    JsonNode emf = emfOf(() -> assertThatThrownBy(() -> runtime.invoke(new TestLambdaContext("dev-orders-api"), "http", "req-1",
        () -> {
          throw new IllegalStateException("table gone");
        })).hasMessage("table gone"));

    assertThat(emf.path("EventsProcessed").asDouble()).isZero();
    assertThat(emf.path("EventsFailed").asDouble()).isEqualTo(1.0);
    assertThat(emf.path("trigger").asText()).isEqualTo("http");
  }

  @Test
  void invoke_shouldCountOneProcessed_whenAScheduledRunReturns() {
    JsonNode emf = emfOf(() -> runtime.invoke(new TestLambdaContext("dev-orders-job"), "schedule", "evt-1", () -> "done"));

    assertThat(emf.path("EventsProcessed").asDouble()).isEqualTo(1.0);
    assertThat(emf.path("EventsFailed").asDouble()).isZero();
  }

  @Test
  void emfDocument_shouldUseTheMetricNamesAndDimensionOfContractJson_whichTerraformReads() throws IOException {
    JsonNode contract = EventJson.parse(Files.readString(Repo.root().resolve(PlatformContract.FILE))).path("metrics");
    JsonNode emf = emfOf(() -> runtime.invoke(new TestLambdaContext("dev-orders-api"), "http", "req-2", () -> "ok"));
    JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);

    List<String> contractNames = new ArrayList<>();
    contract.path("function").path("names").forEach(n -> contractNames.add(n.asText()));
    assertThat(metricNames(directive)).containsExactlyInAnyOrderElementsOf(contractNames);
    assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo(contract.path("function").path("dimension").asText());
    assertThat(emf.has(contract.path("function").path("dimension").asText())).isTrue();
    assertThat(new FunctionRuntime("orders", "api", 0, Tracer.none()).qualifiedName()).isEqualTo("orders.api");
    assertThat(contract.path("namespace").asText()).isEqualTo(MetricNames.NAMESPACE);
  }

  @Test
  void fromEnvironment_shouldWriteToThePowertoolsNamespace_whenTheManifestSetsOne() {
    FunctionRuntime fromEnv = FunctionEnvironment.with(java.util.Map.of("FANOUT_SERVICE", "reporting", "FANOUT_FUNCTION",
        "daily-report", "POWERTOOLS_METRICS_NAMESPACE", "fanout-env", "FANOUT_TRACER", "none"), FunctionRuntime::fromEnvironment);

    JsonNode emf = emfOf(() -> fromEnv.invoke(new TestLambdaContext("dev-reporting-daily-report"), "schedule", "evt-2", () -> "ok"));

    assertThat(emf.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("fanout-env");
    assertThat(emf.path("function").asText()).isEqualTo("reporting.daily-report");
  }

  private static JsonNode emfOf(Runnable invocation) {
    try (StdoutCapture out = new StdoutCapture()) {
      invocation.run();
      List<JsonNode> documents = out.jsonLines().stream().filter(l -> l.has("_aws")).toList();
      assertThat(documents).as("one EMF document per invocation").hasSize(1);
      return documents.get(0);
    }
  }

  private static List<String> metricNames(JsonNode directive) {
    List<String> names = new ArrayList<>();
    directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    return names;
  }
}
