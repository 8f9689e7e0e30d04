package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.LambdaEnvironments;
import com.example.fanout.testing.LambdaRegion;
import com.example.fanout.testing.OrderPlacedConsumer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A consumer's registrations against its manifest's {@code on:}, compared when Lambda constructs the handler. */
@ExtendWith(LambdaRegion.class)
class RegistrationsAtInitTest {
  @Test
  void constructor_shouldFailNamingBothSides_whenInLambdaTheRegistrationsDifferFromTheManifest() {
    assertThatThrownBy(() -> inLambda("orders", "status-projection",
        () -> new OrderPlacedConsumer(ConsumerRuntime.fromEnvironment(), (event, order, ctx) -> { })))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("consumer orders.status-projection")
        .hasMessageContaining("the manifest's on: [OrderPlaced, InventoryReserved, OutOfStock, PaymentAuthorized, PaymentFailed,"
            + " OrderShipped, SagaStuck]")
        .hasMessageContaining("the handler's registrations [OrderPlaced]")
        .hasMessageContaining("no handler for [InventoryReserved, OutOfStock, PaymentAuthorized, PaymentFailed, OrderShipped, SagaStuck]");
  }

  @Test
  void constructor_shouldNameTheExtraType_whenInLambdaAHandlerIsRegisteredForATypeTheManifestDoesNotSubscribeTo() {
    assertThatThrownBy(() -> inLambda("inventory", "reserve-stock", () -> new TwoTypes(ConsumerRuntime.fromEnvironment())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the manifest's on: [OrderPlaced] and the handler's registrations [OrderPlaced, PaymentFailed] differ")
        .hasMessageContaining("handlers for types the manifest does not subscribe to: [PaymentFailed]");
  }

  @Test
  void constructor_shouldBuildTheConsumer_whenInLambdaTheRegistrationsAreTheManifests() {
    OrderPlacedConsumer consumer = inLambda("inventory", "reserve-stock",
        () -> new OrderPlacedConsumer(ConsumerRuntime.fromEnvironment(), (event, order, ctx) -> { }));

    assertThat(consumer.registeredEventTypes()).containsExactly("OrderPlaced");
  }

  @Test
  void constructor_shouldLeaveTheComparisonToTheManifestTest_whenNotInLambda() {
    Map<String, String> env = LambdaEnvironments.consumer("orders", "status-projection");
    OrderPlacedConsumer consumer = FunctionEnvironment.with(env,
        () -> new OrderPlacedConsumer(ConsumerRuntime.fromEnvironment(), (event, order, ctx) -> { }));

    assertThatThrownBy(consumer::checkRegistrations).hasMessageContaining("no handler for");
  }

  @Test
  void handlers_shouldRefuseARegistration_whenTheConstructorHasReturned() {
    AtomicReference<Handlers> kept = new AtomicReference<>();
    KeepsHandlers consumer = inLambda("inventory", "reserve-stock", () -> new KeepsHandlers(ConsumerRuntime.fromEnvironment(), kept));

    assertThatThrownBy(() -> kept.get().on("PaymentFailed", Object.class, (event, data, ctx) -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("registrations of inventory.reserve-stock were passed to its constructor and are closed");
    assertThat(consumer.registeredEventTypes()).containsExactly("OrderPlaced");
  }

  private static <T> T inLambda(String service, String consumer, Supplier<T> construct) {
    Map<String, String> env = LambdaEnvironments.consumer(service, consumer);
    env.put("AWS_LAMBDA_FUNCTION_NAME", "dev-" + service + "-" + consumer);
    return FunctionEnvironment.with(env, construct);
  }

  private static final class TwoTypes extends EventConsumer {
    TwoTypes(ConsumerRuntime runtime) {
      super(runtime, handlers -> handlers
          .on("OrderPlaced", Object.class, (event, data, ctx) -> { })
          .on("PaymentFailed", Object.class, (event, data, ctx) -> { }));
    }
  }

  private static final class KeepsHandlers extends EventConsumer {
    KeepsHandlers(ConsumerRuntime runtime, AtomicReference<Handlers> kept) {
      super(runtime, handlers -> {
        kept.set(handlers);
        handlers.on("OrderPlaced", Object.class, (event, data, ctx) -> { });
      });
    }
  }
}
