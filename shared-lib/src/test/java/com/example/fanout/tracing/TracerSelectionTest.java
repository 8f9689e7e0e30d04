package com.example.fanout.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.StdoutCapture;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracerSelectionTest {
  @Test
  void fromEnvironment_shouldWarnAndUseTheDefault_whenFanoutTracerNamesNoTracer() {
    try (StdoutCapture out = new StdoutCapture()) {
      Tracer tracer = FunctionEnvironment.with(Map.of("FANOUT_TRACER", "jaeger"), Tracer::fromEnvironment);

      assertThat(tracer).isSameAs(Tracer.none());
      assertThat(out.jsonLines()).anySatisfy(l -> {
        assertThat(l.path("level").asText()).isEqualTo("WARN");
        assertThat(l.path("message").asText()).contains("FANOUT_TRACER", "jaeger", "using the default");
      });
    }
  }

  @Test
  void fromEnvironment_shouldWarnAndUseXRay_whenInLambdaTheNamedBackendIsNotOnTheClassPath() {
    try (StdoutCapture out = new StdoutCapture()) {
      Tracer tracer = FunctionEnvironment.with(Map.of("FANOUT_TRACER", "otel", "AWS_LAMBDA_FUNCTION_NAME", "dev-orders-api"),
          Tracer::fromEnvironment);

      assertThat(tracer).isInstanceOf(XRayTracer.class);
      assertThat(out.jsonLines()).anySatisfy(l -> {
        assertThat(l.path("level").asText()).isEqualTo("WARN");
        assertThat(l.path("message").asText()).contains("FANOUT_TRACER is 'otel'", "tracing-otel", "default xray");
      });
    }
  }

  @Test
  void fromEnvironment_shouldUseTheNamedTracer_whenTheValueIsValid() {
    assertThat(FunctionEnvironment.with(Map.of("FANOUT_TRACER", "none", "AWS_LAMBDA_FUNCTION_NAME", "dev-orders-api"),
        Tracer::fromEnvironment)).isSameAs(Tracer.none());
    assertThat(FunctionEnvironment.with(Map.of("FANOUT_TRACER", " xray "), Tracer::fromEnvironment)).isInstanceOf(XRayTracer.class);
  }
}
