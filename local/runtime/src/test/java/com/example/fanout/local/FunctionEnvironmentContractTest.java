package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.contract.EnvironmentNames;
import com.example.fanout.contract.MetricNames;
import com.example.fanout.contract.ResourceNames;
import com.example.fanout.local.alarms.AlarmDefinitions;
import com.example.fanout.local.lambda.LocalFunction;
import com.example.fanout.manifest.ServiceManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every function the runtime hosts gets the environment Terraform plans for it (the names of
 * {@link EnvironmentNames}, which terraform/contract.json carries to the modules and
 * terraform/test/wiring.test.mjs checks on the planned functions).
 */
@ExtendWith(TestPlatform.Lifecycle.class)
class FunctionEnvironmentContractTest {

  @Test
  void everyFunction_shouldGetTheContractEnvironment_whenLoaded() {
    LocalPlatform platform = TestPlatform.get();
    List<String> checked = new ArrayList<>();
    for (ServiceManifest m : platform.catalog().services()) {
      for (String name : AlarmDefinitions.functionNames(m)) {
        LocalFunction fn = platform.functions().get(ResourceNames.function(TestPlatform.ENV, m.service(), name));
        if (fn == null) {
          continue;
        }
        Map<String, String> env = fn.environment();
        assertThat(env).as(fn.name()).containsKeys(EnvironmentNames.EVERY_FUNCTION.toArray(String[]::new));
        assertThat(env).as(fn.name())
            .containsEntry(EnvironmentNames.FANOUT_SERVICE, m.service())
            .containsEntry(EnvironmentNames.FANOUT_FUNCTION, name)
            .containsEntry(EnvironmentNames.EVENT_SOURCE, m.source())
            .containsEntry(EnvironmentNames.EVENT_BUS_NAME, ResourceNames.bus(TestPlatform.ENV))
            .containsEntry(EnvironmentNames.IDEMPOTENCY_TABLE, ResourceNames.idempotencyTable(TestPlatform.ENV, m.service()))
            .containsEntry(EnvironmentNames.POWERTOOLS_METRICS_NAMESPACE, MetricNames.NAMESPACE);
        m.tables().forEach(t -> assertThat(env).as(fn.name())
            .containsEntry(EnvironmentNames.table(t.name()), ResourceNames.table(TestPlatform.ENV, m.service(), t.name())));
        m.buckets().forEach(b -> assertThat(env).as(fn.name()).containsKey(EnvironmentNames.bucket(b.name())));
        if (m.consumers().stream().anyMatch(c -> c.name().equals(name))) {
          assertThat(env.get(EnvironmentNames.DLQ_URL)).as(fn.name()).endsWith(ResourceNames.dlq(TestPlatform.ENV, m.service(), name));
        }
        checked.add(fn.name());
      }
    }
    assertThat(checked).as("functions checked").hasSizeGreaterThan(5);
  }
}
