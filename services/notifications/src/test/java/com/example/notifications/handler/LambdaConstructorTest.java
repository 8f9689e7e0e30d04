package com.example.notifications.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.FunctionEnvironment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The no-arg constructors Lambda and the local runtime use: every setting comes from FunctionEnvironment; nothing is called yet. */
class LambdaConstructorTest {
  @BeforeEach
  void region() {
    System.setProperty("aws.region", "us-east-1");
  }

  @AfterEach
  void clearRegion() {
    System.clearProperty("aws.region");
  }

  static Map<String, String> consumerEnv(String function) {
    Map<String, String> env = new HashMap<>();
    env.put("FANOUT_SERVICE", "notifications");
    env.put("FANOUT_FUNCTION", function);
    env.put("EVENT_BUS_NAME", "dev-fanout");
    env.put("DLQ_URL", "https://sqs.us-east-1.amazonaws.com/111122223333/dev-notifications-" + function + "-dlq");
    env.put("FANOUT_TRACER", "none");
    return env;
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
