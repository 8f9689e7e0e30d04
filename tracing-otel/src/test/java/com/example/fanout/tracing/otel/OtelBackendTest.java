package com.example.fanout.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OtelBackendTest {
  @Test
  void provider_shouldBeSharedByEveryTracerOfAFunction_andSeparatePerFunction() {
    String endpoint = "http://127.0.0.1:9/v1/traces";

    assertThat(OtelBackend.provider(endpoint, "e2e-notifications-notify-customer"))
        .as("the consumer runtime's tracer and the SES client's: one provider, flushed together")
        .isSameAs(OtelBackend.provider(endpoint, "e2e-notifications-notify-customer"))
        .isNotSameAs(OtelBackend.provider(endpoint, "e2e-orders-api"));
  }
}
