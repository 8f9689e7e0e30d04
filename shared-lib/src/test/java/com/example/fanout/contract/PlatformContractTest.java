package com.example.fanout.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionVariable;
import com.example.fanout.testing.Repo;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformContractTest {

  @Test
  void committedContract_shouldMatchTheJavaConstants_whenRegenerated() throws Exception {
    assertThat(Files.readString(Repo.root().resolve(PlatformContract.FILE)))
        .as(PlatformContract.FILE + " is stale: run `make contract`").isEqualTo(PlatformContract.render());
  }

  @Test
  void retentionVariables_shouldBeTheOnesTheFunctionRuntimeReads_withTheContractDefaults_whenUnset() throws Exception {
    assertThat(FunctionVariable.QUEUE_RETENTION_SECONDS.name()).isEqualTo(EnvironmentNames.QUEUE_RETENTION_SECONDS);
    assertThat(FunctionVariable.DLQ_RETENTION_SECONDS.name()).isEqualTo(EnvironmentNames.DLQ_RETENTION_SECONDS);
    var defaults = FunctionEnvironment.with(Map.of(), () -> List.of(
        FunctionVariable.QUEUE_RETENTION_SECONDS.readWhole().orElseThrow(), FunctionVariable.DLQ_RETENTION_SECONDS.readWhole().orElseThrow()));
    assertThat(defaults).containsExactly(QueueRetention.QUEUE_SECONDS, QueueRetention.DLQ_SECONDS);
    var contract = EventJson.mapper().readTree(Repo.root().resolve(PlatformContract.FILE).toFile());
    assertThat(contract.at("/queue_retention/queue_seconds").asLong()).isEqualTo(QueueRetention.QUEUE_SECONDS).isEqualTo(4 * 24 * 3600);
    assertThat(contract.at("/queue_retention/dlq_seconds").asLong()).isEqualTo(QueueRetention.DLQ_SECONDS).isEqualTo(14 * 24 * 3600);
    assertThat(contract.at("/environment/queue_retention_seconds").asText()).isEqualTo(EnvironmentNames.QUEUE_RETENTION_SECONDS);
    assertThat(contract.at("/environment/dlq_retention_seconds").asText()).isEqualTo(EnvironmentNames.DLQ_RETENTION_SECONDS);
  }

  @Test
  void tracerVariable_shouldBeTheOneTheFunctionRuntimeReads_whenTerraformAddsTheAdotLayerForIt() throws Exception {
    assertThat(FunctionVariable.FANOUT_TRACER.name()).isEqualTo(EnvironmentNames.FANOUT_TRACER);
    var contract = EventJson.mapper().readTree(Repo.root().resolve(PlatformContract.FILE).toFile());
    assertThat(contract.at("/environment/tracer").asText()).isEqualTo(EnvironmentNames.FANOUT_TRACER);
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
