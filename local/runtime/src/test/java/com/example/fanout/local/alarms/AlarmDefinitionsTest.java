package com.example.fanout.local.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.contract.AlarmKind;
import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class AlarmDefinitionsTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();
  private final List<AlarmDefinition> derived = AlarmDefinitions.derive(Catalog.load(REPO.resolve("services")), "dev", "123456789012");

  @Test
  void derive_shouldNameAndWireEachAlarmAsTheModulesDo() {
    assertThat(derived).anySatisfy(a -> {
      assertThat(a.name()).isEqualTo("dev-inventory-reserve-stock-dlq-ConsumerDlqNotEmpty");
      assertThat(a.dimensions()).isEqualTo(Map.of("QueueName", "dev-inventory-reserve-stock-dlq"));
      assertThat(a.statistic()).isEqualTo("Maximum");
    });
    assertThat(derived).anySatisfy(a -> {
      assertThat(a.name()).isEqualTo("dev-reporting-SagaStuck");
      assertThat(a.namespace()).isEqualTo("Fanout");
      assertThat(a.dimensions()).isEqualTo(Map.of("Service", "reporting"));
    });
    assertThat(derived).anySatisfy(a -> {
      assertThat(a.name()).isEqualTo("dev-orders-events-rule-dlq-RuleDlqNotEmpty");
      assertThat(a.kind()).isEqualTo("RuleDlqNotEmpty");
    });
    assertThat(derived.stream().map(AlarmDefinition::kind).distinct())
        .as("the reference services raise every kind").hasSize(AlarmKind.values().length);
  }

  /** Locally an alarm on an AWS metric that no stand-in produces could never fire: it must fail here, by name. */
  @Test
  void everyServiceMetricAnAlarmWatches_shouldBeProducedByTheLocalRuntime() {
    List<String> neverProduced = derived.stream().filter(a -> a.namespace().startsWith("AWS/"))
        .map(a -> LocalAlarms.signature(a.metricKey())).distinct()
        .filter(s -> !LocalAlarms.PRODUCED.contains(s)).toList();
    assertThat(neverProduced).as("alarmed AWS metrics the local runtime does not produce").isEmpty();
  }

  @Test
  void fromTerraformJson_shouldReadEveryAlarmOfThePlan_inChildModulesToo() {
    var plan = EventJson.parse("""
        {"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.platform",
         "child_modules":[{"address":"module.platform.module.observability","resources":[
          {"address":"module.platform.module.observability.aws_cloudwatch_metric_alarm.saga_stuck[0]",
           "type":"aws_cloudwatch_metric_alarm","name":"saga_stuck","index":0,"values":{
            "alarm_name":"dev-reporting-SagaStuck","namespace":"Fanout","metric_name":"SagaStuck",
            "dimensions":{"Service":"reporting"},"statistic":"Sum","period":300,"evaluation_periods":1,
            "datapoints_to_alarm":null,"threshold":0,"comparison_operator":"GreaterThanThreshold",
            "treat_missing_data":"notBreaching"}},
          {"address":"module.platform.module.observability.aws_sns_topic.this","type":"aws_sns_topic","name":"this",
           "values":{"name":"dev-fanout-alarms"}}]}]}]}}}""");

    assertThat(AlarmDefinitions.fromTerraformJson(plan)).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("SagaStuck");
      assertThat(a.datapointsToAlarm()).isEqualTo(1);
      assertThat(a.metricKey()).isEqualTo(new MetricKey("Fanout", "SagaStuck", Map.of("Service", "reporting")));
    });
  }

  /** With the plan Terraform writes (make tf-json), the derived alarms must be exactly the planned ones. */
  @Test
  void derive_shouldEqualThePlannedAlarms_whenThePlanJsonExists() throws Exception {
    Path plan = REPO.resolve("target/terraform/envs/dev/plan.json");
    Assumptions.assumeTrue(Files.exists(plan), "no " + plan + " (make tf-json writes it)");
    List<AlarmDefinition> planned = AlarmDefinitions.fromTerraformJson(EventJson.parse(Files.readString(plan)));
    String account = planned.stream().flatMap(a -> a.dimensions().values().stream())
        .filter(v -> v.matches(".*-\\d{12}$")).map(v -> v.substring(v.length() - 12)).findFirst().orElse("123456789012");
    // An API's id is known only after apply; the rest must match field by field.
    var byName = java.util.Comparator.comparing(AlarmDefinition::name);
    var mine = AlarmDefinitions.derive(Catalog.load(REPO.resolve("services")), "dev", account).stream()
        .filter(a -> !a.kind().equals("ApiServerErrors")).sorted(byName).toList();
    var theirs = planned.stream().filter(a -> !a.kind().equals("ApiServerErrors")).sorted(byName).toList();
    assertThat(mine).isEqualTo(theirs);
  }
}
