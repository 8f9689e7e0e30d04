package com.example.payments.handler;

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
    return LambdaEnvironments.consumer("payments", function);
  }

  @Test
  void constructor_shouldWireTheSimulatedProvider_whenConfiguredSo() {
    Map<String, String> env = consumerEnv("authorize-payment");
    env.put("TABLE_PAYMENTS", "dev-payments-payments");
    env.put("PAYMENT_PROVIDER", "simulated");

    assertThat((Object) FunctionEnvironment.with(env, AuthorizePaymentHandler::new)).isNotNull();
  }

  @Test
  void constructor_shouldWireTheHttpProviderWithoutReadingTheSecretYet_whenConfiguredSo() {
    Map<String, String> env = consumerEnv("authorize-payment");
    env.put("TABLE_PAYMENTS", "dev-payments-payments");
    env.put("PAYMENT_PROVIDER", "http");
    env.put("PAYMENT_PROVIDER_URL", "https://payments.example.com");
    env.put("PAYMENT_PROVIDER_SECRET", "/fanout/payments/provider");

    assertThat((Object) FunctionEnvironment.with(env, AuthorizePaymentHandler::new)).isNotNull();
    env.put("PAYMENT_PROVIDER_SECRET_STORE", "ssm");
    assertThat((Object) FunctionEnvironment.with(env, AuthorizePaymentHandler::new)).isNotNull();
  }

  @Test
  void constructor_shouldNameTheMissingVariable_whenTheHttpProviderHasNoSecret() {
    Map<String, String> env = consumerEnv("authorize-payment");
    env.put("TABLE_PAYMENTS", "dev-payments-payments");
    env.put("PAYMENT_PROVIDER", "http");
    env.put("PAYMENT_PROVIDER_URL", "https://payments.example.com");

    assertThatThrownBy(() -> FunctionEnvironment.with(env, AuthorizePaymentHandler::new)).hasMessageContaining("PAYMENT_PROVIDER_SECRET");
  }
}
