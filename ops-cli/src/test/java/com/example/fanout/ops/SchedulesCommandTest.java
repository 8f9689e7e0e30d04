package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code fanout schedules} over the reference manifests: reporting's daily report (cron, 02:00 UTC) and saga watchdog (every 5 minutes). */
class SchedulesCommandTest {
  private static final String SERVICES = Path.of("../services").toAbsolutePath().normalize().toString();

  record Run(int code, String out) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    int code = Fanout.run(args, new PrintWriter(out, true), new PrintWriter(out, true), Map.of("FANOUT_SERVICES_DIR", SERVICES, "ENV", "prod"));
    return new Run(code, out.toString());
  }

  @Test
  void aCronJob_shouldListEachRunDueInTheWindow_fromIncluded_toExcluded() {
    Run r = run("schedules", "--service", "reporting", "--job", "daily-report", "--from", "2026-12-05T02:00:00Z", "--to", "2026-12-07T02:00:00Z");

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("prod-reporting-daily-report").contains("cron(0 2 * * ? *)").contains("prod-reporting-daily-report-dlq")
        .contains("2 run(s) due in the window:")
        .contains("due 2026-12-05T02:00:00Z").contains("due 2026-12-06T02:00:00Z").doesNotContain("2026-12-07T02:00:00Z")
        .doesNotContain("saga-watchdog");
  }

  @Test
  void aRateJob_shouldGiveTheNumberOfRuns_sinceTheirTimesFollowTheSchedulesStart() {
    Run r = run("schedules", "--service", "reporting", "--job", "saga-watchdog", "--from", "2026-12-07T10:00:00Z", "--to", "2026-12-07T11:00:00Z");

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("rate(5 minutes)").contains("12 run(s) due in the window, at times that follow the schedule's start")
        .doesNotContain("due 2026");
  }

  @Test
  void json_shouldGiveEachJobsNamesAndRuns_andAtMostMaxTimes() {
    Run r = run("schedules", "--service", "reporting", "--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--max", "3", "-o", "json");

    assertThat(r.code()).as(r.out()).isZero();
    JsonNode jobs = EventJson.parse(r.out());
    assertThat(jobs.findValuesAsText("job")).containsExactly("daily-report", "saga-watchdog");
    JsonNode report = jobs.get(0);
    assertThat(report.path("group").asText()).as("a group of its own, named as the schedule").isEqualTo("prod-reporting-daily-report");
    assertThat(report.path("runs").asLong()).as("every day of November").isEqualTo(30);
    assertThat(report.path("due")).hasSize(3).first().extracting(JsonNode::asText).isEqualTo("2026-11-01T02:00:00Z");
    assertThat(jobs.get(1).path("runs").asLong()).isEqualTo(30 * 24 * 12);
  }

  @Test
  void withoutAWindow_shouldListTheJobsOnly() {
    Run r = run("schedules");

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("prod-reporting-daily-report").contains("prod-reporting-saga-watchdog").doesNotContain("run(s)");
  }

  @Test
  void aHalfWindow_aWindowBackwards_orAnUnknownJob_shouldBeRefused() {
    assertThat(run("schedules", "--from", "2026-12-07T00:00:00Z").code()).isEqualTo(Fanout.REFUSED);
    assertThat(run("schedules", "--from", "2026-12-07T01:00:00Z", "--to", "2026-12-07T00:00:00Z").code()).isEqualTo(Fanout.REFUSED);
    Run unknown = run("schedules", "--service", "reporting", "--job", "weekly-report");
    assertThat(unknown.code()).isEqualTo(Fanout.REFUSED);
    assertThat(unknown.out()).contains("no scheduled job of reporting named weekly-report");
  }
}
