package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command lines that need no AWS endpoint: parsing and refusals. */
class FanoutCommandLineTest {
  private static final String SERVICES = Path.of("src/test/resources/services").toAbsolutePath().toString();

  record Run(int code, String out) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    int code = Fanout.run(args, new PrintWriter(out, true), new PrintWriter(out, true), env);
    return new Run(code, out.toString());
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> env = new HashMap<>();
    env.put("FANOUT_SERVICES_DIR", SERVICES);
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return env;
  }

  @Test
  void replay_shouldRefuseACorrelationId_whenTargetingAws() {
    Run r = run(env("ENV", "prod"), "replay", "--from", "2026-11-26T14:00:00Z", "--to", "2026-11-26T15:00:00Z",
        "--correlation-id", "ord_1");
    assertThat(r.code()).isEqualTo(Fanout.REFUSED);
    assertThat(r.out()).contains("cannot select one correlation id");
  }

  @Test
  void replay_shouldRefuse_whenTheWindowIsEmptyOrNotIso() {
    assertThat(run(env(), "replay", "--from", "2026-11-26T15:00:00Z", "--to", "2026-11-26T14:00:00Z").code())
        .isEqualTo(Fanout.REFUSED);
    Run r = run(env(), "replay", "--from", "yesterday", "--to", "2026-11-26T14:00:00Z");
    assertThat(r.code()).isEqualTo(Fanout.REFUSED);
    assertThat(r.out()).contains("ISO-8601");
  }

  @Test
  void publish_shouldValidateAgainstTheSchemaAndSendNothing_whenDryRun() throws Exception {
    Path data = java.nio.file.Files.createTempFile("order", ".json");
    java.nio.file.Files.writeString(data, "{\"orderId\":\"ord_1\",\"scenario\":\"ok\"}");
    Run ok = run(env(), "publish", "OrderPlaced", "--data", data.toString(), "--correlation-id", "ord_1", "--dry-run");
    assertThat(ok.code()).as(ok.out()).isZero();
    assertThat(ok.out()).contains("\"source\":\"com.example.shop\"").contains("\"correlationId\":\"ord_1\"");

    java.nio.file.Files.writeString(data, "{\"orderId\":\"ord_1\",\"scenario\":\"nonsense\"}");
    Run invalid = run(env(), "publish", "OrderPlaced", "--data", data.toString(), "--dry-run");
    assertThat(invalid.code()).isEqualTo(Fanout.REFUSED);
    assertThat(invalid.out()).contains("invalid");
  }

  @Test
  void publish_shouldValidateEveryEventOfABatch_andNameTheInvalidOnesByIndex() throws Exception {
    Path data = java.nio.file.Files.createTempFile("orders", ".json");
    java.nio.file.Files.writeString(data, "[{\"orderId\":\"ord_1\",\"scenario\":\"ok\"},{\"orderId\":\"ord_2\",\"scenario\":\"ok\"}]");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Fanout.run(new String[] {"publish", "OrderPlaced", "--data", data.toString(), "--dry-run", "-o", "json"},
        new PrintWriter(out, true), new PrintWriter(err, true), env());
    assertThat(code).as(err.toString()).isZero();
    var json = com.example.fanout.event.EventJson.parse(out.toString());
    assertThat(json.path("dryRun").asBoolean()).isTrue();
    assertThat(json.path("published").asInt()).isZero();
    assertThat(json.path("events")).hasSize(2).allSatisfy(e -> assertThat(e.path("status").asText()).isEqualTo("validated"));
    assertThat(json.path("events").path(0).path("correlationId").asText())
        .as("each event of a batch its own order unless --correlation-id says otherwise")
        .isNotEqualTo(json.path("events").path(1).path("correlationId").asText());

    java.nio.file.Files.writeString(data, "[{\"orderId\":\"ord_1\",\"scenario\":\"ok\"},{\"orderId\":\"ord_2\",\"scenario\":\"nonsense\"}]");
    Run invalid = run(env(), "publish", "OrderPlaced", "--data", data.toString());
    assertThat(invalid.code()).isEqualTo(Fanout.REFUSED);
    assertThat(invalid.out()).contains("nothing sent").contains("[1] ").doesNotContain("[0] ");

    java.nio.file.Files.writeString(data, "[]");
    assertThat(run(env(), "publish", "OrderPlaced", "--data", data.toString()).out()).contains("empty array");
  }

  @Test
  void publish_shouldRefuse_whenNoServicePublishesTheType() {
    Run r = run(env(), "publish", "NoSuchEvent", "--data", "-");
    assertThat(r.code()).isEqualTo(Fanout.REFUSED);
    assertThat(r.out()).contains("publishes NoSuchEvent");
  }

  @Test
  void timeline_shouldRefuse_whenTheCorrelationIdIsEmpty() {
    Run r = run(env("FANOUT_LOCAL_CONTROL_URL", "http://127.0.0.1:9"), "timeline", "");
    assertThat(r.code()).isEqualTo(Fanout.REFUSED);
    assertThat(r.out()).contains("correlation id is empty");
  }

  @Test
  void target_shouldPreferFanoutEnvOverEnv_andDefaultToDev() {
    assertThat(Target.withEnvironment(Map.of("ENV", "prod", "FANOUT_ENV", "stage"), () -> new Target().env())).isEqualTo("stage");
    assertThat(Target.withEnvironment(Map.of("ENV", "prod"), () -> new Target().env())).isEqualTo("prod");
    assertThat(Target.withEnvironment(Map.of(), () -> new Target().env())).isEqualTo("dev");
  }

  @Test
  void help_shouldListEveryCommand() {
    Run r = run(env(), "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("queues").contains("dlq").contains("timeline").contains("replay").contains("publish");
  }
}
