package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.testing.RecordingXRay;
import com.example.fanout.testing.StdoutCapture;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.Tracer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FunctionRuntimeTest {
  @Test
  void invoke_shouldLogEveryLineWithServiceFunctionAndCorrelationId_whenTheBodyLogs() {
    RecordingXRay xray = new RecordingXRay();
    FunctionRuntime runtime = new FunctionRuntime("reporting", "daily-report", 0, xray.tracer());
    List<JsonNode> lines;
    try (StdoutCapture out = new StdoutCapture()) {
      String result = runtime.invoke(new TestLambdaContext("dev-reporting-daily-report"), "schedule", "evt-schedule-1", () -> {
        LoggerFactory.getLogger("com.example.reporting.handler.DailyReportHandler").info("wrote the report");
        return "done";
      });
      assertThat(result).isEqualTo("done");
      lines = out.jsonLines().stream().filter(l -> l.has("level")).toList();
    }

    assertThat(lines).extracting(l -> l.path("message").asText())
        .containsExactly("schedule invocation of reporting.daily-report", "wrote the report");
    assertThat(lines).allSatisfy(l -> {
      assertThat(l.path("correlation_id").asText()).isEqualTo("evt-schedule-1");
      assertThat(l.path("service").asText()).isEqualTo("reporting");
      assertThat(l.path("function").asText()).isEqualTo("daily-report");
      assertThat(l.path("function_request_id").asText()).isNotBlank();
    });
    assertThat(xray.sent()).anySatisfy(span -> {
      assertThat(span.name()).isEqualTo("reporting.daily-report schedule");
      assertThat(span.annotation("outcome")).isEqualTo("ok");
      assertThat(span.annotation("correlation_id")).isEqualTo("evt-schedule-1");
    });
  }

  @Test
  void invoke_shouldLogTheFailureWithTheCorrelationIdAndRethrow_whenTheBodyThrows() {
    FunctionRuntime runtime = new FunctionRuntime("orders", "api", 0, Tracer.none());
    try (StdoutCapture out = new StdoutCapture()) {
      assertThatThrownBy(() -> runtime.invoke(new TestLambdaContext("dev-orders-api"), "http", "req-1", () -> {
        throw new IllegalStateException("table gone");
      })).hasMessage("table gone");

      assertThat(out.jsonLines()).anySatisfy(l -> {
        assertThat(l.path("level").asText()).isEqualTo("ERROR");
        assertThat(l.path("correlation_id").asText()).isEqualTo("req-1");
        assertThat(l.path("message").asText()).contains("http invocation of orders.api failed");
      });
    }
  }

  @Test
  void fromEnvironment_shouldBuildTheRuntime_whenTheSampleRateIsNotANumber() {
    FunctionRuntime runtime = FunctionEnvironment.with(Map.of("FANOUT_SERVICE", "orders", "FANOUT_FUNCTION", "api",
        "POWERTOOLS_LOGGER_SAMPLE_RATE", "10%", "FANOUT_TRACER", "none"), FunctionRuntime::fromEnvironment);

    assertThat(runtime.qualifiedName()).isEqualTo("orders.api");
  }

  @Test
  void beforeCheckpoint_shouldWarmWithoutInvokingOrLogging_whenTheSnapshotIsTaken() {
    FunctionRuntime runtime = new FunctionRuntime("orders", "api", 0, Tracer.none());
    try (StdoutCapture out = new StdoutCapture()) {
      runtime.beforeCheckpoint(null);

      assertThat(out.jsonLines()).as("no invocation, no AWS call, nothing logged").isEmpty();
    }
  }
}
