package com.example.notifications.handler;

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
    return LambdaEnvironments.consumer("notifications", function);
  }

  @Test
  void constructor_shouldWireSes_whenNoSenderIsChosen() {
    Map<String, String> env = consumerEnv("notify-customer");
    env.put("TABLE_NOTIFICATIONS", "dev-notifications-notifications");
    env.put("SENDER_ADDRESS", "orders@example.com");

    assertThat((Object) FunctionEnvironment.with(env, NotifyCustomerHandler::new)).isNotNull();
  }

  @Test
  void constructor_shouldNameTheMissingSenderAddress_whenSesHasNone() {
    Map<String, String> env = consumerEnv("notify-customer");
    env.put("TABLE_NOTIFICATIONS", "dev-notifications-notifications");

    assertThatThrownBy(() -> FunctionEnvironment.with(env, NotifyCustomerHandler::new)).hasMessageContaining("SENDER_ADDRESS");
  }

  @Test
  void constructor_shouldWireTheRecordingSender_whenTheLocalRuntimeChoosesIt() {
    Map<String, String> env = consumerEnv("notify-customer");
    env.put("TABLE_NOTIFICATIONS", "dev-notifications-notifications");
    env.put("NOTIFICATION_SENDER", "recording");

    assertThat((Object) FunctionEnvironment.with(env, NotifyCustomerHandler::new)).isNotNull();
  }
}
