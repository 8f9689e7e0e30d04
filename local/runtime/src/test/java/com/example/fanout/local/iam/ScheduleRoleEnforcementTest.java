package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.Endpoints;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.alarms.AlarmState;
import com.example.fanout.local.alarms.MetricKey;
import com.example.fanout.local.alarms.MetricStore;
import com.example.fanout.local.testing.Recorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A schedule whose role, as Terraform plans it, may write its DLQ but not invoke its function's
 * alias (the `InvokeTheJob` statement removed): under {@code --iam enforce} every run goes to the
 * schedule's DLQ as EventBridge Scheduler parks it, with its attributes, and the function never runs.
 * Once the DLQ is gone too, each run is lost, counted for the schedule's group, and alarmed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleRoleEnforcementTest {
  private static final String ENV = "sched";
  private LocalPlatform platform;
  private Endpoints endpoints;

  @BeforeAll
  void start() throws IOException {
    Path services = Files.createTempDirectory(Path.of("target"), "schedule-role-services");
    Files.createDirectories(services.resolve("cron"));
    Files.writeString(services.resolve("cron/service.yaml"), """
        service: cron
        source: com.example.cron
        description: Test service with one schedule, whose role may not invoke its function.
        owner: team-local-runtime
        schedules:
          - name: tick
            handler: com.example.fanout.local.testing.RecordingScheduleHandler
            expression: rate(10 minutes)
            function: { memory_mb: 256, timeout_seconds: 5, reserved_concurrency: 1 }
        """);
    platform = EnforcedPlatforms.build(services, ENV, "cron-tick-scheduler-without-invoke.json");
    endpoints = platform.start();
  }

  @AfterAll
  void stop() {
    platform.close();
  }

  @Test
  @Order(1)
  void aRunTheSchedulesRoleMayNotInvoke_shouldGoToTheSchedulesDlqWithSchedulersAttributes_andNeverReachTheFunction() {
    List<Message> parked = new CopyOnWriteArrayList<>();
    try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoints.sqs()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("operator", "operator")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String dlq = sqs.getQueueUrl(r -> r.queueName(ENV + "-cron-tick-dlq")).queueUrl();
      Eventually.await(Duration.ofSeconds(30), () -> {
        parked.addAll(sqs.receiveMessage(r -> r.queueUrl(dlq).messageAttributeNames("All").maxNumberOfMessages(10)).messages());
        return !parked.isEmpty();
      }, "a run parked in the schedule's DLQ");
    }

    Message run = parked.get(0);
    Map<String, String> attributes = run.messageAttributes().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stringValue()));
    String scheduleArn = "arn:aws:scheduler:us-east-1:000000000000:schedule/" + ENV + "-cron-tick/" + ENV + "-cron-tick";
    String target = "arn:aws:lambda:us-east-1:000000000000:function:" + ENV + "-cron-tick:live";
    assertThat(attributes).containsEntry("ERROR_CODE", "AccessDeniedException")
        .containsEntry("ERROR_MESSAGE", "User: arn:aws:sts::000000000000:assumed-role/" + ENV + "-cron-tick-scheduler/" + ENV + "-cron-tick"
            + " is not authorized to perform: lambda:InvokeFunction on resource: " + target
            + " because no identity-based policy allows the lambda:InvokeFunction action")
        .containsEntry("RETRY_ATTEMPTS", "0")
        .containsEntry("IS_PAYLOAD_TRUNCATED", "false")
        .containsEntry("SCHEDULE_ARN", scheduleArn)
        .containsEntry("TARGET_ARN", target)
        .doesNotContainKey("EXHAUSTED_RETRY_CONDITION");
    JsonNode body = EventJson.parse(run.body());
    assertThat(body.path("id").asText()).as("the run's execution id, in the body and the attributes").isEqualTo(attributes.get("EXECUTION_ID"));
    assertThat(body.path("detail-type").asText()).isEqualTo("Scheduled Event");
    assertThat(body.path("resources").get(0).asText()).isEqualTo(scheduleArn);
    assertThat(Instant.parse(body.path("time").asText())).isEqualTo(Instant.parse(attributes.get("SCHEDULED_TIME")));
    assertThat(Recorder.received("cron-tick", ScheduledEvent.class)).as("runs that reached the function").isEmpty();
    assertThat(platform.iam().denied()).containsEntry(ENV + "-cron-tick-scheduler", java.util.Set.of("lambda:InvokeFunction"));
    assertThat(platform.iam().used().get(ENV + "-cron-tick-scheduler")).contains("lambda:InvokeFunction", "sqs:SendMessage");
  }

  @Test
  @Order(2)
  void aRunThatCanBeNeitherDeliveredNorParked_shouldBeCountedForTheSchedulesGroup_andAlarmed() {
    try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoints.sqs()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("operator", "operator")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      sqs.deleteQueue(r -> r.queueUrl(sqs.getQueueUrl(q -> q.queueName(ENV + "-cron-tick-dlq")).queueUrl()));
    }
    MetricStore metrics = platform.alarms().metrics();
    MetricKey lost = new MetricKey("AWS/Scheduler", "InvocationsFailedToBeSentToDeadLetterCount",
        Map.of("ScheduleGroup", ENV + "-cron-tick"));
    Eventually.await(Duration.ofSeconds(30), () -> metrics.values(lost, Instant.EPOCH, metrics.now().plusSeconds(1)).stream()
        .mapToDouble(Double::doubleValue).sum() >= 1, "a lost run counted in InvocationsFailedToBeSentToDeadLetterCount");

    String alarm = ENV + "-cron-tick-ScheduleDlqSendFailures";
    Eventually.await(Duration.ofSeconds(30), () -> platform.alarms().transitions().stream()
        .anyMatch(t -> t.alarm().equals(alarm) && t.to() == AlarmState.ALARM), alarm + " in ALARM");
    assertThat(Recorder.received("cron-tick", ScheduledEvent.class)).as("runs that reached the function").isEmpty();
  }
}
