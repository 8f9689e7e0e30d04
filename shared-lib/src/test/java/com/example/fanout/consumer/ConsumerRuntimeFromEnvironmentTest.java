package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.LambdaRegion;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.RecordingXRay;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.XRayTracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The no-arg constructor's path: everything from the function's environment, as Terraform sets it. */
@ExtendWith(LambdaRegion.class)
class ConsumerRuntimeFromEnvironmentTest {
  @Test
  void fromEnvironment_shouldWireTheConsumerFromItsVariables_whenTerraformSetThem(@TempDir Path dir) throws Exception {
    Path traceFile = dir.resolve("trace.jsonl");
    Map<String, String> env = Map.of(
        "FANOUT_SERVICE", "inventory",
        "FANOUT_FUNCTION", "reserve-stock",
        "EVENT_BUS_NAME", "dev-fanout",
        "DLQ_URL", "https://sqs.us-east-1.amazonaws.com/111122223333/dev-inventory-reserve-stock-dlq",
        "IDEMPOTENCY_TABLE", "dev-inventory-idempotency",
        "FANOUT_TRACER", "xray",
        "RETRY_BACKOFF_BASE_SECONDS", "10",
        "POWERTOOLS_LOGGER_SAMPLE_RATE", "0.1");

    ConsumerRuntime runtime = FunctionEnvironment.with(env, ConsumerRuntime::fromEnvironment);

    assertThat(runtime.qualifiedName()).isEqualTo("inventory.reserve-stock");
    assertThat(runtime.parts().source()).isEqualTo("com.example.inventory");
    assertThat(runtime.parts().deadLetterQueueUrl()).endsWith("/dev-inventory-reserve-stock-dlq");
    assertThat(runtime.parts().idempotency()).isNotNull();
    assertThat(runtime.parts().tracer()).isInstanceOf(XRayTracer.class);
    assertThat(runtime.parts().backoffBase()).isEqualTo(Duration.ofSeconds(10));
    assertThat(runtime.parts().backoffMax()).isEqualTo(Duration.ofSeconds(900));
    assertThat(runtime.parts().logSampleRate()).isEqualTo(0.1);
  }

  @Test
  void fromEnvironment_shouldKeepNoIdempotencyRecords_whenTheConsumersManifestSaysNone() {
    Map<String, String> env = Map.of(
        "FANOUT_SERVICE", "reporting",
        "FANOUT_FUNCTION", "order-ledger",
        "EVENT_BUS_NAME", "dev-fanout",
        "DLQ_URL", "https://sqs.us-east-1.amazonaws.com/111122223333/dev-reporting-order-ledger-dlq",
        "IDEMPOTENCY_TABLE", "dev-reporting-idempotency");

    ConsumerRuntime ledger = FunctionEnvironment.with(env, ConsumerRuntime::fromEnvironment);

    assertThat(com.example.fanout.manifest.Catalog.forService("reporting").requireService("reporting").consumer("order-ledger")
        .orElseThrow().idempotency()).isEqualTo(com.example.fanout.manifest.ServiceManifest.Idempotency.NONE);
    assertThat(ledger.parts().idempotency()).as("no store: its role has no grant on the table").isNull();
  }

  @Test
  void fromEnvironment_shouldTraceWithTheGlobalXRayRecorder_whenHandlingWithoutIdempotencyTable() {
    RecordingXRay xray = new RecordingXRay();
    AWSXRayRecorder before = AWSXRay.getGlobalRecorder();
    AWSXRay.setGlobalRecorder(xray.recorder());
    try {
      Map<String, String> env = Map.of(
          "FANOUT_SERVICE", "orders",
          "FANOUT_FUNCTION", "status-projection",
          "EVENT_BUS_NAME", "dev-fanout",
          "DLQ_URL", "https://sqs.us-east-1.amazonaws.com/111122223333/dev-orders-status-projection-dlq",
          "FANOUT_TRACER", "xray");
      OrderPlacedConsumer consumer = FunctionEnvironment.with(env,
          () -> new OrderPlacedConsumer(ConsumerRuntime.fromEnvironment(), (event, order, ctx) -> { }));

      var response = consumer.handleRequest(Messages.batch(Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced()))),
          new TestLambdaContext("dev-orders-status-projection"));

      assertThat(response.getBatchItemFailures()).isEmpty();
      assertThat(xray.sent()).singleElement().satisfies(segment -> {
        assertThat(segment.name()).isEqualTo("orders.status-projection OrderPlaced");
        assertThat(segment.annotation("outcome")).isEqualTo("ok");
      });
    } finally {
      AWSXRay.setGlobalRecorder(before);
    }
  }

  @Test
  void fromEnvironment_shouldNameTheMissingVariable_whenDlqUrlIsNotSet() {
    Map<String, String> env = Map.of("FANOUT_SERVICE", "inventory", "FANOUT_FUNCTION", "reserve-stock",
        "EVENT_BUS_NAME", "dev-fanout", "FANOUT_TRACER", "none");

    assertThatThrownBy(() -> FunctionEnvironment.with(env, ConsumerRuntime::fromEnvironment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DLQ_URL");
  }
}
