package com.example.fanout.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleInputTest {
  @Test
  void render_shouldFillInEveryContextAttribute_asEventBridgeSchedulerDoes() {
    String arn = "arn:aws:scheduler:us-east-1:000000000000:schedule/dev-reporting-daily-report/dev-reporting-daily-report";

    JsonNode event = EventJson.parse(ScheduleInput.render(arn, Instant.parse("2026-12-06T02:00:00.123456Z"), "d32c5kddcf5bb8c3"));

    assertThat(event.path("id").asText()).isEqualTo("d32c5kddcf5bb8c3");
    assertThat(event.path("time").asText()).isEqualTo("2026-12-06T02:00:00Z");
    assertThat(event.path("resources")).singleElement().extracting(JsonNode::asText).isEqualTo(arn);
    assertThat(event.path("detail-type").asText()).isEqualTo("Scheduled Event");
    assertThat(event.path("source").asText()).isEqualTo("aws.scheduler");
    assertThat(event.toString()).doesNotContain("<aws.scheduler.");
  }

  @Test
  void scheduleArn_shouldNameTheGroupThenTheSchedule() {
    assertThat(ScheduleInput.scheduleArn("eu-west-1", "123456789012", "prod-reporting-daily-report", "prod-reporting-daily-report"))
        .isEqualTo("arn:aws:scheduler:eu-west-1:123456789012:schedule/prod-reporting-daily-report/prod-reporting-daily-report");
  }

  @Test
  void template_shouldBeJsonWithTheAttributesInPlace_forTerraformToSetAsIs() {
    JsonNode template = EventJson.parse(ScheduleInput.TEMPLATE);

    assertThat(template.path("id").asText()).isEqualTo("<aws.scheduler.execution-id>");
    assertThat(template.path("time").asText()).isEqualTo("<aws.scheduler.scheduled-time>");
    assertThat(template.path("detail").isObject()).isTrue();
  }
}
