package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.contract.ResourceNames;
import com.example.fanout.contract.ScheduleInput;
import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The seam between the scheduled-job module and the local scheduler's schedule ARN (ADR 0118): in
 * the plan Terraform writes ({@code make tf-json}), each schedule's group and name are the ones the
 * local runtime derives, and the ARN its scheduler role trusts is the one {@link
 * ScheduleInput#scheduleArn} builds for them, which the local scheduler puts in every run.
 */
class ScheduleArnSeamTest {
  private static final Path PLAN = Path.of("").toAbsolutePath().getParent().getParent().resolve("target/terraform/envs/dev/plan.json");
  private static final Pattern JOB = Pattern.compile("module\\.service\\[\"([^\"]+)\"]\\.module\\.scheduled_job\\[\"([^\"]+)\"]\\.");
  private static final Pattern SCHEDULE_ARN = Pattern.compile("arn:aws:scheduler:([a-z0-9-]+):(\\d{12}):schedule/.+");

  @Test
  void everyPlannedSchedule_shouldBeNamedAndTrustedAsTheLocalSchedulerNamesIt() throws Exception {
    Assumptions.assumeTrue(Files.exists(PLAN), "no " + PLAN + " (make tf-json writes it)");
    List<JsonNode> resources = new ArrayList<>();
    collect(EventJson.parse(Files.readString(PLAN)).path("planned_values").path("root_module"), resources);
    List<String> checked = new ArrayList<>();
    for (JsonNode schedule : resources.stream().filter(r -> r.path("type").asText().equals("aws_scheduler_schedule")).toList()) {
      Matcher job = JOB.matcher(schedule.path("address").asText());
      assertThat(job.find()).as(schedule.path("address").asText()).isTrue();
      String group = ResourceNames.scheduleGroup("dev", job.group(1), job.group(2));
      String name = ResourceNames.function("dev", job.group(1), job.group(2));
      assertThat(schedule.path("values").path("group_name").asText()).isEqualTo(group);
      assertThat(schedule.path("values").path("name").asText()).isEqualTo(name);

      String role = schedule.path("address").asText().replace("aws_scheduler_schedule.this", "aws_iam_role.scheduler");
      JsonNode trust = EventJson.parse(resources.stream().filter(r -> r.path("address").asText().equals(role)).findFirst()
          .orElseThrow().path("values").path("assume_role_policy").asText());
      String trusted = trust.findValue("aws:SourceArn").asText();
      Matcher arn = SCHEDULE_ARN.matcher(trusted);
      assertThat(arn.matches()).as(trusted).isTrue();
      assertThat(trusted).isEqualTo(ScheduleInput.scheduleArn(arn.group(1), arn.group(2), group, name));
      checked.add(name);
    }
    assertThat(checked).contains("dev-reporting-daily-report", "dev-reporting-saga-watchdog");
  }

  private static void collect(JsonNode module, List<JsonNode> out) {
    module.path("resources").forEach(out::add);
    module.path("child_modules").forEach(child -> collect(child, out));
  }
}
