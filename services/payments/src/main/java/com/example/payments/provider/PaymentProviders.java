package com.example.payments.provider;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.payments.domain.PaymentProvider;
import java.net.URI;

/**
 * Chooses the provider from the function's environment: {@code PAYMENT_PROVIDER=simulated} (the
 * manifest's default, and the local runtime's) or {@code http}, which needs {@code PAYMENT_PROVIDER_URL}
 * and the secret named by {@code PAYMENT_PROVIDER_SECRET}, in Secrets Manager unless
 * {@code PAYMENT_PROVIDER_SECRET_STORE=ssm}.
 */
public final class PaymentProviders {
  private PaymentProviders() {}

  public static PaymentProvider fromEnvironment() {
    String kind = FunctionEnvironment.require("PAYMENT_PROVIDER");
    return switch (kind) {
      case "simulated" -> new SimulatedPaymentProvider();
      case "http" -> {
        String secret = FunctionEnvironment.require("PAYMENT_PROVIDER_SECRET");
        ProviderApiKey key = "ssm".equals(FunctionEnvironment.get("PAYMENT_PROVIDER_SECRET_STORE").orElse("secretsmanager"))
            ? ProviderApiKey.fromSsm(secret) : ProviderApiKey.fromSecretsManager(secret);
        yield new HttpPaymentProvider(HttpPaymentProvider.defaultClient(),
            URI.create(FunctionEnvironment.require("PAYMENT_PROVIDER_URL")), key);
      }
      default -> throw new IllegalStateException("PAYMENT_PROVIDER must be simulated or http, was " + kind);
    };
  }
}
