package com.example.inventory.handler;

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
    return LambdaEnvironments.consumer("inventory", function);
  }

  @Test
  void constructors_shouldWireFromTheEnvironment_whenTablesAreSet() {
    Map<String, String> env = consumerEnv("reserve-stock");
    env.put("TABLE_STOCK", "dev-inventory-stock");
    env.put("TABLE_RESERVATIONS", "dev-inventory-reservations");

    assertThat((Object) FunctionEnvironment.with(env, ReserveStockHandler::new)).isNotNull();
    assertThat((Object) FunctionEnvironment.with(env, ReleaseStockHandler::new)).isNotNull();
  }

  @Test
  void constructor_shouldNameTheMissingVariable_whenATableIsNotSet() {
    Map<String, String> env = consumerEnv("reserve-stock");
    env.put("TABLE_STOCK", "dev-inventory-stock");

    assertThatThrownBy(() -> FunctionEnvironment.with(env, ReserveStockHandler::new)).hasMessageContaining("TABLE_RESERVATIONS");
  }
}
