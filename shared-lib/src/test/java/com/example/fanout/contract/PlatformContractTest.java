package com.example.fanout.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.testing.Repo;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformContractTest {

  @Test
  void committedContract_shouldMatchTheJavaConstants_whenRegenerated() throws Exception {
    assertThat(Files.readString(Repo.root().resolve(PlatformContract.FILE)))
        .as(PlatformContract.FILE + " is stale: run `make contract`").isEqualTo(PlatformContract.render());
  }

  @Test
  void everyAlarmKind_shouldHaveItsRunbook() {
    for (AlarmKind k : AlarmKind.values()) {
      assertThat(Repo.root().resolve(k.runbook())).as("runbook of %s", k.kind()).exists();
    }
  }

  @Test
  void everyRunbook_shouldBeTheRunbookOfAnAlarmKind() throws Exception {
    try (var files = Files.list(Repo.root().resolve("runbooks"))) {
      var kinds = Arrays.stream(AlarmKind.values()).map(AlarmKind::kind).toList();
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("README.md"))
          .map(n -> n.replaceFirst("\\.md$", ""))).allMatch(kinds::contains);
    }
  }

  @Test
  void render_shouldFillEveryPlaceholder_andNameTheMissingOne() {
    assertThat(ResourceNames.dlq("dev", "inventory", "reserve-stock")).isEqualTo("dev-inventory-reserve-stock-dlq");
    assertThat(ResourceNames.bucket("dev", "orders", "imports", "123456789012")).isEqualTo("dev-orders-imports-123456789012");
    assertThat(ResourceNames.alarm(ResourceNames.ruleDlq("dev", "orders"), AlarmKind.RULE_DLQ_NOT_EMPTY.kind()))
        .isEqualTo("dev-orders-events-rule-dlq-RuleDlqNotEmpty");
    assertThatThrownBy(() -> ResourceNames.render(ResourceNames.TOPIC, Map.of("env", "dev")))
        .hasMessageContaining("{service}");
  }
}
