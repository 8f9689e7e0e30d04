package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEnvironmentTest {
  @TempDir
  Path dir;

  @Test
  void forFunction_shouldLayerEveryFunctionThenServiceThenFunction_whenReadFromYaml() throws Exception {
    Path file = dir.resolve("env.yaml");
    Files.writeString(file, """
        "*":
          FANOUT_TRACER: local
          LEVEL: INFO
        reporting:
          LEVEL: DEBUG
          STUCK_AFTER_MINUTES: 15
        reporting-saga-watchdog:
          STUCK_AFTER_MINUTES: 0.1
        """);

    LocalEnvironment env = LocalEnvironment.load(file);

    assertThat(env.forFunction("reporting", "saga-watchdog"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("FANOUT_TRACER", "local", "LEVEL", "DEBUG", "STUCK_AFTER_MINUTES", "0.1"));
    assertThat(env.forFunction("reporting", "order-ledger")).containsEntry("STUCK_AFTER_MINUTES", "15");
    assertThat(env.forFunction("orders", "api")).containsExactlyInAnyOrderEntriesOf(Map.of("FANOUT_TRACER", "local", "LEVEL", "INFO"));
  }

  @Test
  void with_shouldOverrideOneVariable_withoutChangingTheOriginal() {
    LocalEnvironment base = LocalEnvironment.of(Map.of("notifications", Map.of("NOTIFICATION_SENDER", "ses")));

    LocalEnvironment changed = base.with("notifications", "NOTIFICATION_SENDER", "recording");

    assertThat(changed.forFunction("notifications", "notify-customer")).containsEntry("NOTIFICATION_SENDER", "recording");
    assertThat(base.forFunction("notifications", "notify-customer")).containsEntry("NOTIFICATION_SENDER", "ses");
  }

  @Test
  void load_shouldRefuseNestedValues() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "\"*\":\n  NESTED: {a: 1}\n");

    assertThatThrownBy(() -> LocalEnvironment.load(file)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NESTED");
  }
}
