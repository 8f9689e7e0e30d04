package com.example.fanout.local.app.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.LocalEnvironment;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.app.OrderTrace;
import com.example.fanout.local.app.OrdersApi;
import com.example.fanout.local.app.SagaPlatform;
import com.example.fanout.tracing.TraceEntity;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-trace-per-order check with every service on one tracer, once per tracer (one subclass
 * each). Handlers reach the platform through JVM-wide settings and a second platform in the same JVM
 * is not reached, so each subclass starts a platform of its own in a JVM of its own: the surefire
 * execution {@code tracers} forks one per test class, without the shared platform of the other
 * end-to-end tests.
 */
abstract class OneTracePerOrderCheck {
  /** The {@code FANOUT_TRACER} every function gets. */
  abstract String tracer();

  @Test
  void trace_shouldBeOneTraceFromTheApiToTheEmail_withEveryHopParented_whenEveryServiceRunsThisTracer() {
    LocalEnvironment environment = SagaPlatform.localEnvironment().with(LocalEnvironment.EVERY_FUNCTION, "FANOUT_TRACER", tracer());
    try (LocalPlatform platform = SagaPlatform.start(environment)) {
      List<TraceEntity> trace = OrderTrace.placeAndCheck(platform, new OrdersApi(platform.endpoints().api(), platform.issuer()),
          "SKU-E2E-TRACE");

      OrderTrace.HANDLER_HOPS.forEach(hop -> OrderTrace.assertTracedBy(trace, hop, tracer()));
      if (tracer().equals("otel")) {
        assertThat(platform.xray().otlp().spansReceived()).as("spans exported over OTLP").isPositive();
      } else {
        assertThat(platform.xray().otlp().spansReceived()).as("nothing exported over OTLP by the X-Ray SDK").isZero();
      }
    }
  }
}
