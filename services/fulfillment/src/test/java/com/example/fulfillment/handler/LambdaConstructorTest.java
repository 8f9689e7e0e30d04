package com.example.fulfillment.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.LambdaEnvironments;
import com.example.fanout.testing.LambdaRegion;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The no-arg constructors Lambda and the local runtime use: every setting comes from FunctionEnvironment; nothing is called yet. */
@ExtendWith(LambdaRegion.class)
class LambdaConstructorTest {
  static Map<String, String> consumerEnv(String function) {
    return LambdaEnvironments.consumer("fulfillment", function);
  }

  @Test
  void constructor_shouldWireFromTheEnvironment_whenTheTableIsSet() {
    Map<String, String> env = consumerEnv("ship-order");
    env.put("TABLE_SHIPMENTS", "dev-fulfillment-shipments");

    assertThat((Object) FunctionEnvironment.with(env, ShipOrderHandler::new)).isNotNull();
  }

  @Test
  void constructor_shouldNameTheMissingVariable_whenTheTableIsNotSet() {
    assertThatThrownBy(() -> FunctionEnvironment.with(consumerEnv("ship-order"), ShipOrderHandler::new)).hasMessageContaining("TABLE_SHIPMENTS");
  }
}
