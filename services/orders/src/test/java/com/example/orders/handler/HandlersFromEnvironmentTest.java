package com.example.orders.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.FunctionEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local runtime and Lambda build each handler with its no-arg constructor inside the function's
 * environment; building one makes no network call (clients connect lazily).
 */
class HandlersFromEnvironmentTest {
  private static final Map<String, String> ENV = Map.of(
      "FANOUT_ENV", "dev",
      "FANOUT_SERVICE", "orders",
      "TABLE_ORDERS", "dev-orders-orders",
      "BUCKET_IMPORTS", "dev-orders-imports-111122223333",
      "EVENT_BUS_NAME", "dev-fanout",
      "DLQ_URL", "https://sqs.us-east-1.amazonaws.com/111122223333/dev-orders-status-projection-dlq");

  private static Map<String, String> env(String function) {
    var env = new java.util.HashMap<>(ENV);
    env.put("FANOUT_FUNCTION", function);
    return env;
  }

  @Test
  void noArgConstructors_shouldBuildEveryHandler_whenTheEnvironmentIsComplete() {
    Object api = FunctionEnvironment.with(env("api"), OrdersApiHandler::new);
    Object relay = FunctionEnvironment.with(env("outbox-relay"), OutboxRelayHandler::new);
    Object imports = FunctionEnvironment.with(env("imports"), BulkImportHandler::new);
    Object projection = FunctionEnvironment.with(env("status-projection"), StatusProjectionHandler::new);

    assertThat(List.of(api, relay, imports, projection)).doesNotContainNull();
  }

  @Test
  void noArgConstructor_shouldNameTheMissingVariable_whenTheTableIsNotConfigured() {
    var env = env("api");
    env.remove("TABLE_ORDERS");

    assertThatThrownBy(() -> FunctionEnvironment.with(env, OrdersApiHandler::new))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TABLE_ORDERS");
  }
}
