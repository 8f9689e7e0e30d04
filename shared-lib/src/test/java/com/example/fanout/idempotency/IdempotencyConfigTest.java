package com.example.fanout.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.runtime.FunctionEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyConfigTest {
  @Test
  void fromEnvironment_shouldCoverEventBridgeRetriesQueueAndDlqRetention_whenTerraformSetsTheRetentions() {
    IdempotencyConfig config = FunctionEnvironment.with(
        Map.of("QUEUE_RETENTION_SECONDS", "86400", "DLQ_RETENTION_SECONDS", "604800"), IdempotencyConfig::fromEnvironment);

    assertThat(config.expiry()).isEqualTo(Duration.ofDays(1 + 1 + 7));
  }

  @Test
  void fromEnvironment_shouldUseTheLongestPath_whenAnExplicitExpiryIsShorter() {
    IdempotencyConfig config = FunctionEnvironment.with(Map.of("QUEUE_RETENTION_SECONDS", "86400",
        "DLQ_RETENTION_SECONDS", "604800", "IDEMPOTENCY_EXPIRY_SECONDS", "86400"), IdempotencyConfig::fromEnvironment);

    assertThat(config.expiry()).isEqualTo(Duration.ofDays(9));
  }

  @Test
  void fromEnvironment_shouldKeepAnExplicitExpiry_whenItIsLongerThanThePath() {
    IdempotencyConfig config = FunctionEnvironment.with(Map.of("QUEUE_RETENTION_SECONDS", "86400",
        "DLQ_RETENTION_SECONDS", "604800", "IDEMPOTENCY_EXPIRY_SECONDS", "2592000"), IdempotencyConfig::fromEnvironment);

    assertThat(config.expiry()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void fromEnvironment_shouldUseTheDefaultRetentions_whenTheyAreNotNumbers() {
    IdempotencyConfig config = FunctionEnvironment.with(
        Map.of("QUEUE_RETENTION_SECONDS", "4 days", "DLQ_RETENTION_SECONDS", "-1"), IdempotencyConfig::fromEnvironment);

    assertThat(config.expiry()).isEqualTo(IdempotencyConfig.DEFAULT_EXPIRY).isEqualTo(Duration.ofDays(19));
  }
}
