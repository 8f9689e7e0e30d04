package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.example.fanout.contract.ScheduleInput;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.ConsumerFaults;
import com.example.fanout.local.Endpoints;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.iam.IamMode;
import com.example.fanout.local.iam.IamSettings;
import com.example.fanout.ops.Runbook.Block;
import com.example.fanout.ops.testing.RecordingConsumer;
import com.example.fanout.ops.testing.RecordingImport;
import com.example.fanout.ops.testing.RecordingJob;
import com.example.fanout.ops.testing.RecordingRelay;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Every {@code ```sh} block of every runbook, run with {@code bash -euo pipefail} against a local
 * runtime in which the situation of that runbook exists: a consumer whose DLQ fills with poison
 * messages, one that failed transiently until its "fix", one that crashes, one throttled, one with
 * no function (a backlog), and the on-failure DLQs of the rule, stream relay, schedule and bucket
 * holding the records AWS would put there. {@code fanout} on PATH runs in this JVM (see
 * {@link CommandServer}); {@code aws} is the real AWS CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunbookCommandsTest {
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path RUNBOOKS = REPO.resolve("runbooks");
  static final String ENV = "ops";
  static final String ACCOUNT = "000000000000";
  static final Duration WAIT = Duration.ofSeconds(40);
  /**
   * The test services planned and applied as env {@value #ENV} by the Terraform checks (make tf-json
   * writes it too): every scenario runs with each function held to its planned role.
   */
  static final Path PLANNED_ROLES = Path.of("target/terraform-runbooks/state.json");
  /** The shop table item whose stream record the relay gives up on. */
  static final String RELAYED_KEY = "ORDER#relayed";
  static final Pattern AWS_CLI = Pattern.compile("(^|[\\s|;(&`$])aws\\s", Pattern.MULTILINE);
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private LocalPlatform platform;
  private Endpoints endpoints;
  private SqsClient sqs;
  private EventBridgeClient events;
  private S3Client s3;
  private CommandServer commands;
  private Path work;
  private Path bin;
  private boolean awsCli;
  private final Map<String, List<Envelope>> published = new LinkedHashMap<>();
  private Instant replayEventTime;
  private Path compensationFile;
  private Path reimportKeyFile;
  private final FaultPlan faults = FaultPlan.builder()
      .parse("stock-reserve:poison=1")
      .parse("stock-crash:crash=1")
      .build();

  @BeforeAll
  void start() throws Exception {
    work = Files.createDirectories(Path.of("target", "runbooks-" + UUID.randomUUID())).toAbsolutePath();
    RecordingConsumer.BROKEN.add("stock-ship");
    platform = LocalPlatform.builder()
        .servicesDir(RecordingConsumer.SERVICES)
        .env(ENV)
        .dataDir(work.resolve("local-data"))
        .clockSpeed(600)
        .repoRoot(REPO)
        .faults(faults)
        .iam(new IamSettings(IamMode.ENFORCE, plannedRolesWithDrift(), ENV))
        .build();
    endpoints = platform.start();
    sqs = SqsClient.builder().endpointOverride(endpoints.sqs()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create()).build();
    events = EventBridgeClient.builder().endpointOverride(endpoints.eventBridge()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    s3 = S3Client.builder().endpointOverride(endpoints.s3()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    commands = CommandServer.start();
    bin = Files.createDirectories(work.resolve("bin"));
    writeExecutable(bin.resolve("fanout"), commands.shim());
    awsCli = onPath("aws");
    produceSituations();
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {commands, sqs, events, s3, platform}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The situations

  private void produceSituations() throws IOException, InterruptedException {
    publish("poison", 2);
    publish("broken", 3);
    publish("crash", 2);
    publish("backlog", 3);
    await("poison copies in stock-reserve-dlq", () -> depth(dlq("stock-reserve")) >= 2);
    await("the failing events in stock-ship-dlq", () -> depth(dlq("stock-ship")) == 3);
    await("the crashed events in stock-crash-dlq", () -> depth(dlq("stock-crash")) == 2);
    await("the backlog in stock-backlog", () -> depth(queue("stock-backlog")) == 3);

    // One event with its own event time, alone in the replay window.
    replayEventTime = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
    Envelope replayed = envelope("ok");
    published.put("replay", List.of(replayed));
    events.putEvents(b -> b.entries(entry(replayed).toBuilder().time(replayEventTime).build()));
    // Delivered before the topic starts refusing below (delivery is asynchronous), or it would be parked too.
    await("the replay event delivered to its topic", () -> platform.timeline().spans(replayed.correlationId()).stream()
        .anyMatch(span -> span.name().equals("delivered to topic")));

    // The shop topic refuses EventBridge for a while (a topic policy drift): the rule parks those events
    // in its DLQ with EventBridge's attributes. The drift is fixed before on-call acts.
    faults.setDeliveryFault("shop-events", FaultPlan.DELIVERY_REFUSED, 1);
    publish("parked", 2);
    await("the refused events in shop-events-rule-dlq", () -> depth(ENV + "-shop-events-rule-dlq") == 2);
    faults.setDeliveryFault("shop-events", FaultPlan.DELIVERY_REFUSED, 0);

    // The relay cannot reach the bus: its stream mapping gives up on the item's record after its
    // attempts and describes it in the relay's DLQ. Beside it, the description of a range the stream
    // no longer holds (sequence numbers below its trim horizon), as a day-old alarm would find it.
    RecordingRelay.BROKEN.set(true);
    try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(endpoints.dynamoDb()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
      ddb.putItem(b -> b.tableName(ENV + "-shop-orders").item(Map.of("pk", AttributeValue.fromS(RELAYED_KEY),
          "outbox", AttributeValue.fromM(Map.of("evt-relayed", AttributeValue.fromS("{}"))))));
    }
    await("the relay's batch description in shop-outbox-relay-dlq", () -> depth(ENV + "-shop-outbox-relay-dlq") == 1);
    send(ENV + "-shop-outbox-relay-dlq", """
        {"requestContext":{"requestId":"r-1","functionArn":"arn:aws:lambda:us-east-1:%1$s:function:%2$s-shop-outbox-relay:live",
        "condition":"RetryAttemptsExhausted","approximateInvokeCount":3},
        "responseContext":{"statusCode":200,"functionError":"Unhandled"},"version":"1.0","timestamp":"%3$s",
        "DDBStreamBatchInfo":{"shardId":"shardId-00000000000000000001-00000001","startSequenceNumber":"100","endSequenceNumber":"104",
        "batchSize":5,"streamArn":"arn:aws:dynamodb:us-east-1:%1$s:table/%2$s-shop-orders/stream/2026-01-01T00:00:00.000"}}
        """.formatted(ACCOUNT, ENV, Instant.now()), Map.of());
    // What EventBridge Scheduler parks when Lambda's Invoke API refused the run until the schedule's
    // retry policy (the module's 3 retries) ran out: the target's input (Terraform's, from the
    // contract) as it filled it in, with the run's attributes. The local scheduler parks a run its
    // role may not invoke the same way (ScheduleRoleEnforcementTest); this cause it does not emulate.
    String scheduleArn = "arn:aws:scheduler:us-east-1:" + ACCOUNT + ":schedule/" + ENV + "-shop-daily-report/" + ENV + "-shop-daily-report";
    send(ENV + "-shop-daily-report-dlq", ScheduleInput.render(scheduleArn, Instant.parse("2026-11-26T02:00:00Z"), "run-1"), Map.of(
        "ERROR_CODE", "AWS.Lambda.TooManyRequestsException",
        "ERROR_MESSAGE", "Rate exceeded (scenario)",
        "EXECUTION_ID", "run-1",
        "RETRY_ATTEMPTS", "3",
        "EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts",
        "SCHEDULED_TIME", "2026-11-26T02:00:00Z",
        "SCHEDULE_ARN", scheduleArn,
        "TARGET_ARN", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + ENV + "-shop-daily-report:live"));
    // An import the function fails on: after Lambda's retries its invocation record is in the bucket's DLQ.
    RecordingImport.BROKEN.set(true);
    String key = "incoming/2026-11-26.csv";
    s3.putObject(b -> b.bucket(bucket()).key(key), RequestBody.fromString("orderId,sku,quantity\nord-1,SKU-1,2\n"));
    await("the import's invocation record in shop-imports-dlq", () -> depth(ENV + "-shop-imports-dlq") == 1);

    // An event EventBridge accepts (under its 256 KiB entry limit) but cannot deliver: wrapped in the
    // EventBridge envelope it is over SNS's 256 KiB, so the target invocation fails (RuleFailedInvocations).
    String pad = "x".repeat(262_144 - 200);
    events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName(ENV + "-fanout").source("com.example.shop")
        .detailType("OrderPlaced").detail("{\"pad\":\"" + pad + "\"}").build()));
    // As in AWS, the rule parks that event in its DLQ, where no redrive can ever deliver it: on-call
    // deletes it (RuleFailedInvocations' runbook), leaving the two refused events for RuleDlqNotEmpty.
    String ruleDlq = sqs.getQueueUrl(b -> b.queueName(ENV + "-shop-events-rule-dlq")).queueUrl();
    await("the oversized event in shop-events-rule-dlq", () -> sqs.receiveMessage(b -> b.queueUrl(ruleDlq)
            .maxNumberOfMessages(10).visibilityTimeout(0)).messages().stream()
        .filter(m -> m.body().length() > 262_144 - 200)
        .peek(m -> sqs.deleteMessage(b -> b.queueUrl(ruleDlq).receiptHandle(m.receiptHandle())))
        .findAny().isPresent());
    // Requests the API cannot serve (its function is not deployed: 502), at once: over ApiServerErrors'
    // threshold of 5 in one 5-minute period, which is half a second on this clock.
    // Authorized as any client would be: the gateway checks the token before the (missing) function runs.
    String token = platform.issuer().mint("cus_runbook", List.of("orders/write"), java.time.Duration.ofMinutes(10));
    var requests = java.util.stream.IntStream.range(0, 20).mapToObj(i -> HTTP.sendAsync(
        HttpRequest.newBuilder(endpoints.api().resolve("/orders")).header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString())).toList();
    for (var r : requests) {
      assertThat(r.join().statusCode()).isEqualTo(502);
    }

    compensationFile = work.resolve("compensation.json");
    Files.writeString(compensationFile, "{\"orderId\":\"" + published.get("poison").getFirst().data().get("orderId").asText() + "\"}");
    reimportKeyFile = work.resolve("key.txt");
    Files.writeString(reimportKeyFile, key);
  }

  // ---------------------------------------------------------------------------------------------
  // The scenarios: which runbook runs with which variables, what must hold after which command

  record Check(String when, Consumer<String> verify) {}

  record Scenario(String runbook, String variant, Map<String, Supplier<String>> vars, Predicate<Block> runs,
      Map<String, Runnable> beforeSection, List<Check> checks) {}

  private List<Scenario> scenarios() {
    List<Scenario> out = new ArrayList<>();
    out.add(new Scenario("ConsumerDlqNotEmpty", "poison messages", consumerVars("stock", "reserve", "poison"),
        b -> !b.uses("fanout dlq redrive"), Map.of(), List.of(
            new Check("fanout dlq inspect", o -> assertThat(o)
                .containsAnyOf("class=invalid-envelope", "class=schema-violation")
                .contains("consumer=stock.reserve").contains("reason")),
            new Check("fanout dlq delete", o -> assertThat(o).contains("deleted")))));
    out.add(new Scenario("ConsumerDlqNotEmpty", "transient failure, fixed", consumerVars("stock", "ship", "broken"),
        b -> !b.uses("fanout dlq delete") && !b.uses("fanout publish"),
        Map.of("Mitigation", () -> RecordingConsumer.BROKEN.remove("stock-ship")), List.of(
            new Check("fanout dlq inspect", o -> assertThat(o).contains("ops-stock-ship-dlq: 3 message(s)")
                .contains(published.get("broken").getFirst().correlationId())),
            new Check("fanout dlq redrive", o -> {
              assertThat(o).contains("COMPLETED");
              await("stock-ship-dlq empty and the redriven events processed", () -> depth(dlq("stock-ship")) == 0
                  && RecordingConsumer.processedBy("stock-ship").containsAll(ids("broken")));
            }))));
    out.add(new Scenario("QueueMessageAgeHigh", "no function drains the queue", consumerVars("stock", "backlog", "backlog"),
        b -> true, Map.of(), List.of(
            new Check("fanout queues", o -> assertThat(o).containsPattern("ops-stock-backlog\\s+3\\s+0")))));
    out.add(new Scenario("LambdaErrors", "the function crashes", functionVars("stock", "crash", "crash"),
        b -> true, Map.of(), List.of(
            new Check("fanout dlq inspect", o -> assertThat(o).contains("no fanout-* attributes")),
            new Check("fanout timeline", o -> assertThat(o).contains("timeline of correlation id")))));
    out.add(new Scenario("LambdaThrottles", "throttled at its concurrency", functionVars("stock", "throttle", "throttle"),
        b -> true, Map.of("Mitigation", this::raiseThrottledConcurrency),
        List.of(new Check("fanout queues", o -> assertThat(o).contains("ops-stock-throttle")))));
    out.add(new Scenario("RuleFailedInvocations", "a rule cannot deliver", publisherVars(), b -> true, Map.of(), List.of(
        new Check("fanout replay", o -> assertThat(o).contains(": 1 archived event(s) re-sent")))));
    out.add(new Scenario("RuleDlqNotEmpty", "events parked in the rule DLQ", publisherVars(), b -> true, Map.of(), List.of(
        new Check("fanout dlq inspect", o -> assertThat(o).contains("ERROR_CODE=AuthorizationError")
            .contains("RULE_ARN=arn:aws:events:us-east-1:" + ACCOUNT + ":rule/" + ENV + "-fanout/" + ENV + "-shop-to-topic")
            .contains("RETRY_ATTEMPTS=0").doesNotContain("EXHAUSTED_RETRY_CONDITION")
            .contains(published.get("parked").getFirst().correlationId())),
        new Check("fanout dlq redrive", o -> {
          assertThat(o).contains("re-published 2 parked event(s)");
          await("the parked events processed by stock-parked", () -> RecordingConsumer.processedBy("stock-parked").size() >= 2);
          assertThat(depth(ENV + "-shop-events-rule-dlq")).isZero();
          assertThat(RecordingConsumer.processedBy("stock-parked")).as("each parked event once, none lost")
              .containsExactlyInAnyOrderElementsOf(ids("parked"));
        }))));
    out.add(new Scenario("SnsDeliveryFailures", "a topic cannot deliver", publisherVars(), b -> true, Map.of(), List.of(
        new Check("fanout replay", o -> {
          assertThat(o).contains(": 1 archived event(s) re-sent");
          assertThat(depth(dlq("stock-throttle"))).as("the delivery SNS gave up on waits in the consumer's DLQ").isPositive();
        }))));
    out.add(new Scenario("StreamIteratorAgeHigh", "the relay is behind", triggerVars("RELAY", "outbox-relay"), b -> true,
        Map.of(), List.of()));
    Map<String, Supplier<String>> expiredRange = triggerVars("RELAY", "outbox-relay");
    expiredRange.put("MESSAGE_ID", () -> messageIdContaining(ENV + "-shop-outbox-relay-dlq", "\"startSequenceNumber\":\"100\""));
    out.add(new Scenario("StreamDlqNotEmpty", "records past the stream's retention", expiredRange,
        b -> !b.uses("fanout dlq redrive"), Map.of(), List.of(
            new Check("fanout dlq inspect", o -> assertThat(o).contains("DDBStreamBatchInfo")),
            new Check("fanout dlq delete", o -> assertThat(depth(ENV + "-shop-outbox-relay-dlq")).isOne()))));
    out.add(new Scenario("StreamDlqNotEmpty", "the relay gave up on a batch, fixed", triggerVars("RELAY", "outbox-relay"),
        b -> !b.uses("fanout dlq delete") && !b.uses("fanout publish"),
        Map.of("Mitigation", () -> RecordingRelay.BROKEN.set(false)), List.of(
            new Check("fanout dlq redrive", o -> {
              assertThat(o).contains("1 record(s) handled again");
              assertThat(depth(ENV + "-shop-outbox-relay-dlq")).isZero();
              assertThat(RecordingRelay.handled()).as("the given-up record, handled once").containsOnlyOnce(RELAYED_KEY);
            }))));
    out.add(new Scenario("ScheduleDlqNotEmpty", "a run was not delivered", triggerVars("JOB", "daily-report"), b -> true,
        Map.of(), List.of(
            new Check("fanout dlq inspect", o -> assertThat(o).contains("ERROR_CODE=AWS.Lambda.TooManyRequestsException")
                .contains("EXHAUSTED_RETRY_CONDITION=MaximumRetryAttempts").contains("2026-11-26T02:00:00Z")),
            new Check("fanout dlq delete", o -> assertThat(depth(ENV + "-shop-daily-report-dlq")).isZero()))));
    // The DLQ is missing in the Diagnosis, so no message of it is named. The window: from a minute
    // before the alarm fired to now, on the runtime's clock, as the alarm's history gives it.
    Map<String, Supplier<String>> lostRuns = triggerVars("JOB", "tick");
    lostRuns.remove("MESSAGE_ID");
    lostRuns.put("FROM", () -> platform.alarms().transitions().stream()
        .filter(t -> t.alarm().equals(ENV + "-shop-tick-ScheduleDlqSendFailures") && t.to() == com.example.fanout.local.alarms.AlarmState.ALARM)
        .findFirst().orElseThrow().at().minusSeconds(60).toString());
    lostRuns.put("TO", () -> platform.clock().now().toString());
    out.add(new Scenario("ScheduleDlqSendFailures", "runs could be neither delivered nor parked", lostRuns, b -> true,
        Map.of("Mitigation", this::restoreTickDlq), List.of(
            new Check("fanout alarms --history", o -> assertThat(o).contains(ENV + "-shop-tick-ScheduleDlqSendFailures OK -> ALARM")
                .containsPattern(ENV + "-shop-tick-dlq\\s+missing")),
            new Check("fanout dlq inspect", o -> {
              assertThat(o).contains("ERROR_CODE=AccessDeniedException").contains("is not authorized to perform: lambda:InvokeFunction");
              assertThat(RecordingJob.runs()).as("runs that reached the job").isEmpty();
            }),
            new Check("fanout schedules", o -> assertThat(o).contains(ENV + "-shop-tick ").contains("run(s) due in the window:")
                .containsPattern("due \\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00Z")))));
    out.add(new Scenario("BucketEventDlqNotEmpty", "an import failed", triggerVars("BUCKET", "imports"), b -> true,
        Map.of("Mitigation", () -> RecordingImport.BROKEN.set(false)), List.of(
            new Check("fanout dlq inspect", o -> assertThat(o).contains("RetriesExhausted").contains("incoming/2026-11-26.csv")
                .contains("line 2: unknown sku SKU-1 (scenario)")),
            new Check("fanout dlq delete", o -> {
              assertThat(depth(ENV + "-shop-imports-dlq")).isZero();
              if (awsCli) {
                await("the object written again, imported", () -> !RecordingImport.imported().isEmpty());
                assertThat(RecordingImport.imported()).as("imported once, after the fix").containsExactly("incoming/2026-11-26.csv");
              }
            }))));
    // After BucketEventDlqNotEmpty's scenario: this one deletes the DLQ that scenario reads.
    Map<String, Supplier<String>> lostImport = publisherVars();
    lostImport.put("FUNCTION", () -> "imports");
    lostImport.put("KEY", () -> LOST_IMPORT_KEY);
    out.add(new Scenario("DestinationDeliveryFailures", "an import's record could not be parked", lostImport, b -> true,
        Map.of("Mitigation", this::restoreImportsDlq), List.of(
            new Check("fanout alarms --history", o -> assertThat(o).contains(ENV + "-shop-imports-DestinationDeliveryFailures OK -> ALARM")
                .containsPattern(ENV + "-shop-imports-dlq\\s+missing")),
            new Check("aws s3api list-objects-v2", o -> assertThat(o).contains(LOST_IMPORT_KEY)),
            new Check("aws s3 cp", o -> {
              await("the lost object written again, imported", () -> RecordingImport.imported().contains(LOST_IMPORT_KEY));
              assertThat(depth(ENV + "-shop-imports-dlq")).as("nothing parked: the import succeeded").isZero();
            }))));
    out.add(new Scenario("ApiServerErrors", "the API answers 5xx", apiVars(), b -> true, Map.of(), List.of()));
    out.add(new Scenario("SagaStuck", "an order stopped at a crashing step", consumerVars("stock", "crash", "crash"),
        b -> true, Map.of(), List.of(
            new Check("fanout queues", o -> assertThat(o).contains("ops-stock-crash")),
            new Check("fanout timeline", o -> assertThat(o).contains("timeline of correlation id")))));
    // Last: it deletes the rule DLQ that the publisher scenarios read.
    out.add(new Scenario("RuleDlqSendFailures", "refused events could not be parked", replayWindowVars(UNPARKED_EVENT_TIME), b -> true,
        Map.of("Mitigation", this::restoreRuleDlq), List.of(
            new Check("fanout alarms --history", o -> assertThat(o).contains(ENV + "-shop-events-RuleDlqSendFailures OK -> ALARM")
                .containsPattern(ENV + "-shop-events-rule-dlq\\s+missing")),
            new Check("fanout replay", o -> {
              assertThat(o).contains(": 2 archived event(s) re-sent");
              List<String> lost = unparkedEvents.stream().map(Envelope::id).toList();
              await("the lost events processed by stock-parked", () -> RecordingConsumer.processedBy("stock-parked").containsAll(lost));
              assertThat(depth(ENV + "-shop-events-rule-dlq")).as("nothing parked: the topic takes them again").isZero();
            }))));
    out.add(new Scenario("SnsRedriveFailures", "a delivery could not be moved to the consumer's DLQ", replayWindowVars(UNREDRIVEN_EVENT_TIME),
        b -> true,
        Map.of("Mitigation", this::restoreThrottleQueueAndDlq), List.of(
            new Check("fanout alarms --history", o -> assertThat(o).contains(ENV + "-shop-events-SnsRedriveFailures OK -> ALARM")
                .containsPattern(ENV + "-stock-throttle\\s+missing")),
            new Check("fanout replay", o -> {
              assertThat(o).contains(": 1 archived event(s) re-sent");
              await("the lost delivery processed by stock-throttle",
                  () -> RecordingConsumer.processedBy("stock-throttle").contains(unredriven().id()));
              assertThat(depth(dlq("stock-throttle"))).as("nothing parked: the queue takes it again").isZero();
            }))));
    return out;
  }

  private Map<String, Supplier<String>> common() {
    Map<String, Supplier<String>> v = new LinkedHashMap<>();
    v.put("ENV", () -> ENV);
    v.put("ACCOUNT", () -> ACCOUNT);
    v.put("FROM", () -> replayEventTime.minusSeconds(1).toString());
    v.put("TO", () -> replayEventTime.plusSeconds(1).toString());
    v.put("FANOUT_SERVICES_DIR", () -> RecordingConsumer.SERVICES.toAbsolutePath().toString());
    return v;
  }

  private Map<String, Supplier<String>> consumerVars(String service, String consumer, String situation) {
    Map<String, Supplier<String>> v = common();
    v.put("SERVICE", () -> service);
    v.put("CONSUMER", () -> consumer);
    v.put("CID", () -> published.get(situation).getFirst().correlationId());
    v.put("EVENT_TYPE", () -> "StockReserved");
    v.put("DATA_FILE", () -> compensationFile.toString());
    v.put("MESSAGE_ID", () -> firstMessageId(dlq(service + "-" + consumer)));
    return v;
  }

  private Map<String, Supplier<String>> functionVars(String service, String name, String situation) {
    Map<String, Supplier<String>> v = consumerVars(service, name, situation);
    v.put("FUNCTION", () -> name);
    return v;
  }

  private Map<String, Supplier<String>> publisherVars() {
    Map<String, Supplier<String>> v = common();
    v.put("SERVICE", () -> "shop");
    v.put("CID", () -> published.get("replay").getFirst().correlationId());
    return v;
  }

  /** The publisher's variables with a replay window of a second either side of {@code eventTime}. */
  private Map<String, Supplier<String>> replayWindowVars(Instant eventTime) {
    Map<String, Supplier<String>> v = publisherVars();
    v.put("FROM", () -> eventTime.minusSeconds(1).toString());
    v.put("TO", () -> eventTime.plusSeconds(1).toString());
    return v;
  }

  private Map<String, Supplier<String>> triggerVars(String variable, String name) {
    Map<String, Supplier<String>> v = publisherVars();
    v.put(variable, () -> name);
    v.put("TABLE", () -> "orders");
    v.put("KEY", () -> read(reimportKeyFile));
    v.put("MESSAGE_ID", () -> firstMessageId(ENV + "-shop-" + name + "-dlq"));
    v.put("DATA_FILE", () -> writeOrder());
    v.put("EVENT_TYPE", () -> "OrderPlaced");
    return v;
  }

  private Map<String, Supplier<String>> apiVars() {
    Map<String, Supplier<String>> v = publisherVars();
    v.put("API", () -> "api");
    v.put("API_URL", () -> endpoints.api().toString());
    v.put("ORDER_ID", () -> published.get("replay").getFirst().data().get("orderId").asText());
    return v;
  }

  // ---------------------------------------------------------------------------------------------
  // The tests

  // ---------------------------------------------------------------------------------------------
  // The alarms: each scenario's situation drives one alarm of its kind to ALARM; after the
  // runbook's mitigation (and, where the real fix is an AWS change, what stands for it) it is OK.

  /** The alarm a scenario fires, and what stands for the fix when the runbook's fix is not a local command. */
  record Firing(String alarm, String fix, Runnable fixAction, boolean fixBeforeCommands) {
    Firing(String alarm) {
      this(alarm, null, null, false);
    }
  }

  private Map<String, Firing> firings() {
    Map<String, Firing> f = new LinkedHashMap<>();
    f.put("transient failure, fixed", new Firing(ENV + "-stock-ship-dlq-ConsumerDlqNotEmpty"));
    f.put("no function drains the queue", new Firing(ENV + "-stock-backlog-QueueMessageAgeHigh",
        "a consumer drains the queue", () -> drain(queue("stock-backlog")), false));
    f.put("the function crashes", new Firing(ENV + "-stock-crash-LambdaErrors"));
    f.put("throttled at its concurrency", new Firing(ENV + "-stock-throttle-LambdaThrottles",
        "the backlog drains: every throttled event handled", this::awaitThrottledHandled, false));
    f.put("a rule cannot deliver", new Firing(ENV + "-shop-events-RuleFailedInvocations"));
    f.put("events parked in the rule DLQ", new Firing(ENV + "-shop-events-rule-dlq-RuleDlqNotEmpty"));
    f.put("a topic cannot deliver", new Firing(ENV + "-shop-events-SnsDeliveryFailures",
        "the subscribed queue is back (Terraform re-applied)", this::restoreThrottleQueue, true));
    f.put("the relay gave up on a batch, fixed", new Firing(ENV + "-shop-outbox-relay-dlq-StreamDlqNotEmpty"));
    f.put("a run was not delivered", new Firing(ENV + "-shop-daily-report-dlq-ScheduleDlqNotEmpty"));
    f.put("runs could be neither delivered nor parked", new Firing(ENV + "-shop-tick-ScheduleDlqSendFailures"));
    f.put("an import failed", new Firing(ENV + "-shop-imports-dlq-BucketEventDlqNotEmpty"));
    f.put("an import's record could not be parked", new Firing(ENV + "-shop-imports-DestinationDeliveryFailures"));
    f.put("the API answers 5xx", new Firing(ENV + "-shop-api-ApiServerErrors"));
    f.put("refused events could not be parked", new Firing(ENV + "-shop-events-RuleDlqSendFailures"));
    f.put("a delivery could not be moved to the consumer's DLQ", new Firing(ENV + "-shop-events-SnsRedriveFailures"));
    return f;
  }

  /** Kinds whose situation needs handlers these runbook services do not deploy: the test that fires each. */
  static final Map<String, String> FIRED_ELSEWHERE = Map.of(
      "SagaStuck", "local/app OrderSagaEndToEndTest.watchdog_shouldFlagTheOrderAsStuck_whileFulfillmentIsDisabled_andClearItOnceItShips",
      "StreamIteratorAgeHigh", "local/runtime AlarmKindsTest.streamIteratorAgeHigh_shouldAlarmWhileTheRelayIsBehind_andClearOnceItCaughtUp");

  @Test
  void everyAlarmKind_shouldBeDrivenToAlarmAndBackByATest() {
    var fired = new java.util.TreeSet<String>();
    firings().values().forEach(f -> fired.add(f.alarm().substring(f.alarm().lastIndexOf('-') + 1)));
    fired.addAll(FIRED_ELSEWHERE.keySet());
    assertThat(fired).containsExactlyInAnyOrderElementsOf(
        Stream.of(com.example.fanout.contract.AlarmKind.values()).map(com.example.fanout.contract.AlarmKind::kind).toList());
    assertThat(platform.alarms().definitions()).extracting(d -> d.name())
        .as("every alarm a scenario fires is one the runtime evaluates")
        .containsAll(firings().values().stream().map(Firing::alarm).toList());
  }

  private void awaitAlarmed(String alarm) {
    await(alarm + " in ALARM", () -> platform.alarms().transitions().stream()
        .anyMatch(t -> t.alarm().equals(alarm) && t.to() == com.example.fanout.local.alarms.AlarmState.ALARM));
  }

  private void awaitOk(String alarm) {
    await(alarm + " back to OK", () -> platform.alarms().status().stream()
        .anyMatch(a -> a.name().equals(alarm) && a.state() == com.example.fanout.local.alarms.AlarmState.OK));
  }

  private void drain(String queueName) {
    String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    for (var m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    }
    assertThat(depth(queueName)).isZero();
  }

  /**
   * stock-throttle reaches its concurrency limit: every invoke is throttled from now until the runbook's
   * mitigation, while events keep arriving until LambdaThrottles (throttles in two 5-minute periods
   * running) fires.
   */
  private void underLoad(String alarm) {
    faults.setConsumerFaults("stock-throttle", ConsumerFaults.NONE.withThrottleRate(1));
    try (var load = Executors.newSingleThreadScheduledExecutor()) {
      load.scheduleAtFixedRate(() -> throttled.addAll(publish("throttle", 1)), 0, 200, TimeUnit.MILLISECONDS);
      try {
        awaitAlarmed(alarm);
      } finally {
        load.shutdownNow();
      }
    }
  }

  /** What the runbook's mitigation stands for: reserved concurrency raised and applied, so invokes stop being throttled. */
  private void raiseThrottledConcurrency() {
    faults.setConsumerFaults("stock-throttle", ConsumerFaults.NONE);
  }

  private void awaitThrottledHandled() {
    List<String> ids = throttled.stream().map(Envelope::id).toList();
    assertThat(ids).as("events published while throttled").isNotEmpty();
    await("every throttled event handled by stock-throttle", () -> depth(queue("stock-throttle")) == 0
        && RecordingConsumer.processedBy("stock-throttle").containsAll(ids));
  }

  private final List<Envelope> throttled = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** SNS cannot deliver to a queue that is gone: the throttled consumer's queue is deleted, then an event for it published. */
  private void loseThrottleQueue() {
    deleteThrottleQueue();
    publish("throttle", 1);
  }

  private void deleteThrottleQueue() {
    throttleQueueAttributes = deleteQueue(queue("stock-throttle"),
        QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY);
  }

  private void restoreThrottleQueue() {
    sqs.createQueue(b -> b.queueName(queue("stock-throttle")).attributes(throttleQueueAttributes));
  }

  private Map<QueueAttributeName, String> throttleQueueAttributes;

  /** Deletes {@code queueName} outside Terraform; the attributes to create it with again, as re-applying Terraform would. */
  private Map<QueueAttributeName, String> deleteQueue(String queueName, QueueAttributeName... keep) {
    String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(keep)).attributes();
    sqs.deleteQueue(b -> b.queueUrl(url));
    return attributes;
  }

  static final String LOST_IMPORT_KEY = "incoming/lost-record.csv";
  /** The event time of the events the rule could not park: a replay window of their own. */
  static final Instant UNPARKED_EVENT_TIME = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
  private final List<Envelope> unparkedEvents = new ArrayList<>();

  /** EventBridge can park nothing: the rule DLQ is gone when the topic refuses two events. */
  private void loseRuleDlq() {
    ruleDlqAttributes = deleteQueue(ENV + "-shop-events-rule-dlq", QueueAttributeName.MESSAGE_RETENTION_PERIOD);
    faults.setDeliveryFault("shop-events", FaultPlan.DELIVERY_REFUSED, 1);
    unparkedEvents.add(envelope("parked"));
    unparkedEvents.add(envelope("parked"));
    var response = events.putEvents(b -> b.entries(unparkedEvents.stream().map(e -> entry(e).toBuilder().time(UNPARKED_EVENT_TIME).build()).toList()));
    assertThat(response.failedEntryCount()).isZero();
  }

  /** What stands for re-applying Terraform and fixing the topic: the rule DLQ is back, and the topic takes EventBridge's events again. */
  private void restoreRuleDlq() {
    sqs.createQueue(b -> b.queueName(ENV + "-shop-events-rule-dlq").attributes(ruleDlqAttributes));
    faults.setDeliveryFault("shop-events", FaultPlan.DELIVERY_REFUSED, 0);
  }

  private Map<QueueAttributeName, String> ruleDlqAttributes;

  /** The event time of the event SNS could not move to a DLQ: a replay window of its own. */
  static final Instant UNREDRIVEN_EVENT_TIME = Instant.now().minus(Duration.ofMinutes(50)).truncatedTo(ChronoUnit.SECONDS);
  private final List<Envelope> unredrivenEvents = new ArrayList<>();

  private Envelope unredriven() {
    return unredrivenEvents.getFirst();
  }

  /** SNS can deliver an event for stock-throttle neither to its queue nor to its DLQ: both are gone. */
  private void loseThrottleQueueAndDlq() {
    deleteThrottleQueue();
    throttleDlqAttributes = deleteQueue(dlq("stock-throttle"), QueueAttributeName.MESSAGE_RETENTION_PERIOD);
    unredrivenEvents.add(envelope("throttle"));
    var response = events.putEvents(b -> b.entries(entry(unredriven()).toBuilder().time(UNREDRIVEN_EVENT_TIME).build()));
    assertThat(response.failedEntryCount()).isZero();
  }

  /** What stands for re-applying Terraform: the DLQ, then the queue that redrives to it. */
  private void restoreThrottleQueueAndDlq() {
    sqs.createQueue(b -> b.queueName(dlq("stock-throttle")).attributes(throttleDlqAttributes));
    restoreThrottleQueue();
  }

  private Map<QueueAttributeName, String> throttleDlqAttributes;

  /** Lambda cannot park the record of an import that failed every attempt: the bucket's DLQ is gone. */
  private void loseImportsDlq() {
    importsDlqAttributes = deleteQueue(ENV + "-shop-imports-dlq", QueueAttributeName.MESSAGE_RETENTION_PERIOD);
    RecordingImport.BROKEN.set(true);
    s3.putObject(b -> b.bucket(bucket()).key(LOST_IMPORT_KEY), RequestBody.fromString("orderId,sku,quantity\nord-2,SKU-2,1\n"));
  }

  /** What stands for re-applying Terraform: the DLQ is back; and the import's own failure is fixed. */
  private void restoreImportsDlq() {
    sqs.createQueue(b -> b.queueName(ENV + "-shop-imports-dlq").attributes(importsDlqAttributes));
    RecordingImport.BROKEN.set(false);
  }

  private Map<QueueAttributeName, String> importsDlqAttributes;

  /**
   * The hourly job's scheduler role as it drifted from its plan: without its {@code InvokeTheJob}
   * statement, so the scheduler parks every run of the job in its DLQ (every 6 s on this clock).
   * The planned roles with that statement removed, as a state file of their own.
   */
  private Path plannedRolesWithDrift() throws IOException {
    String role = ENV + "-shop-tick-scheduler";
    JsonNode state = EventJson.parse(Files.readString(REPO.resolve(PLANNED_ROLES)));
    List<JsonNode> policies = state.findParents("policy").stream()
        .filter(v -> v.has("role") && v.path("name").asText().equals(role)).toList();
    assertThat(policies).as("the planned policy of %s in %s", role, PLANNED_ROLES).hasSize(1);
    ObjectNode values = (ObjectNode) policies.getFirst();
    JsonNode policy = EventJson.parse(values.path("policy").asText());
    ArrayNode statements = (ArrayNode) policy.path("Statement");
    int before = statements.size();
    for (int i = statements.size() - 1; i >= 0; i--) {
      if (statements.get(i).path("Sid").asText().equals("InvokeTheJob")) {
        statements.remove(i);
      }
    }
    assertThat(statements.size()).as("InvokeTheJob removed from %s", role).isEqualTo(before - 1);
    values.put("policy", policy.toString());
    return Files.writeString(work.resolve("planned-roles-with-drift.json"), state.toString());
  }

  /** The scheduler can park no run of the hourly job: its DLQ is gone while the role still may not invoke the job. */
  private void loseTickDlq() {
    tickDlqAttributes = deleteQueue(ENV + "-shop-tick-dlq", QueueAttributeName.MESSAGE_RETENTION_PERIOD);
  }

  /**
   * What stands for re-applying Terraform's queue: the DLQ is back, and the next run is parked in it,
   * its cause (the role's drift) still there, as the runbook's last command shows.
   */
  private void restoreTickDlq() {
    sqs.createQueue(b -> b.queueName(ENV + "-shop-tick-dlq").attributes(tickDlqAttributes));
    await("the next run of the hourly job parked in its DLQ", () -> depth(ENV + "-shop-tick-dlq") >= 1);
  }

  private Map<QueueAttributeName, String> tickDlqAttributes;

  @TestFactory
  Stream<DynamicNode> everyRunbookCommand_shouldRunAgainstTheLocalRuntime() {
    Map<String, Runbook> runbooks = Runbook.byName(Runbook.all(RUNBOOKS));
    Map<String, Firing> firings = firings();
    return scenarios().stream().map(s -> {
      Runbook runbook = runbooks.get(s.runbook());
      assertThat(runbook).as("runbook %s", s.runbook()).isNotNull();
      List<DynamicNode> steps = new ArrayList<>();
      Firing firing = firings.get(s.variant());
      if (firing != null) {
        if (s.variant().equals("throttled at its concurrency")) {
          steps.add(dynamicTest("(scenario) stock-throttle throttled at every invoke, an event every 200 ms until the alarm fires",
              () -> underLoad(firing.alarm())));
        }
        if (s.variant().equals("a topic cannot deliver")) {
          steps.add(dynamicTest("(scenario) the queue of stock-throttle is deleted, an event for it published", this::loseThrottleQueue));
        }
        if (s.variant().equals("a delivery could not be moved to the consumer's DLQ")) {
          steps.add(dynamicTest("(scenario) the queue of stock-throttle and its DLQ are deleted, an event for it published",
              this::loseThrottleQueueAndDlq));
        }
        if (s.variant().equals("refused events could not be parked")) {
          steps.add(dynamicTest("(scenario) the rule DLQ is deleted outside Terraform while the topic refuses EventBridge",
              this::loseRuleDlq));
        }
        if (s.variant().equals("runs could be neither delivered nor parked")) {
          steps.add(dynamicTest("(scenario) the hourly job's DLQ is deleted outside Terraform while its scheduler role may not invoke it",
              this::loseTickDlq));
        }
        if (s.variant().equals("an import's record could not be parked")) {
          steps.add(dynamicTest("(scenario) the imports DLQ is deleted outside Terraform, then an import fails every attempt",
              this::loseImportsDlq));
        }
        steps.add(dynamicTest("(alarm) " + firing.alarm() + " goes to ALARM", () -> awaitAlarmed(firing.alarm())));
        if (firing.fixAction() != null && firing.fixBeforeCommands()) {
          steps.add(dynamicTest("(scenario) " + firing.fix(), firing.fixAction()::run));
        }
      }
      Set<String> hooked = new java.util.HashSet<>();
      for (Block block : runbook.localBlocks()) {
        if (!s.runs().test(block)) {
          continue;
        }
        Runnable hook = s.beforeSection().get(block.section());
        if (hook != null && hooked.add(block.section())) {
          steps.add(dynamicTest("(scenario) before " + block.section(), hook::run));
        }
        steps.add(dynamicTest(block.label(), () -> run(s, block)));
      }
      if (firing != null) {
        if (firing.fixAction() != null && !firing.fixBeforeCommands()) {
          steps.add(dynamicTest("(scenario) " + firing.fix(), firing.fixAction()::run));
        }
        steps.add(dynamicTest("(alarm) " + firing.alarm() + " back to OK after the mitigation", () -> awaitOk(firing.alarm())));
        steps.add(dynamicTest("(alarm) fanout alarms --history names it and its runbook", () -> {
          Result r = fanout("alarms", "--all", "--history");
          assertThat(r.exit()).as(r.output()).isZero();
          assertThat(r.output()).contains(firing.alarm()).contains("runbook: runbooks/" + s.runbook() + ".md")
              .containsPattern(Pattern.quote(firing.alarm()) + " \\S+ -> ALARM: ");
          Result json = fanout("alarms", "--all", "--history", "-o", "json");
          assertThat(json.exit()).as(json.output()).isZero();
          JsonNode document = EventJson.parse(json.output());
          assertThat(document.path("alarms").findValuesAsText("name")).contains(firing.alarm());
          assertThat(document.path("alarms").findValuesAsText("runbook")).contains("runbooks/" + s.runbook() + ".md");
          assertThat(document.path("transitions").findValuesAsText("alarm")).contains(firing.alarm());
        }));
      }
      return dynamicContainer(s.runbook() + ": " + s.variant(), steps);
    });
  }

  @Test
  void everyLocalBlock_shouldBeRunByAScenario() {
    List<Scenario> scenarios = scenarios();
    List<String> notRun = new ArrayList<>();
    for (Runbook r : Runbook.all(RUNBOOKS)) {
      for (Block b : r.localBlocks()) {
        if (scenarios.stream().noneMatch(s -> s.runbook().equals(r.name()) && s.runs().test(b))) {
          notRun.add(b.label());
        }
      }
    }
    assertThat(notRun).as("runbook blocks no scenario runs").isEmpty();
  }

  /**
   * Where an alarm's path cannot end at an order's timeline, and the command it ends with instead: the
   * runbook says why (no dead letter names an order, or what failed is not an order yet).
   */
  static final Map<String, String> PATH_ENDS_ELSEWHERE = Map.of(
      "LambdaThrottles", "fanout dlq inspect",
      "QueueMessageAgeHigh", "fanout dlq inspect",
      "StreamDlqNotEmpty", "aws dynamodb scan",
      "ScheduleDlqNotEmpty", "fanout dlq inspect",
      "ScheduleDlqSendFailures", "fanout queues",
      "BucketEventDlqNotEmpty", "aws s3 cp",
      "DestinationDeliveryFailures", "aws s3api list-objects-v2",
      "RuleDlqSendFailures", "fanout queues",
      "SnsRedriveFailures", "fanout queues");

  @Test
  void everyRunbook_shouldHaveOnePathFromItsAlarm_ofAtMostThreeCommands_endingAtTheOrdersTimeline() {
    for (Runbook r : Runbook.all(RUNBOOKS)) {
      List<Block> paths = r.blocks().stream().filter(Block::alarmPath).toList();
      assertThat(paths).as("%s has one path: a ```sh block under ### %s...", r.name(), Runbook.PATH_HEADING).hasSize(1);
      Block path = paths.getFirst();
      assertThat(path.section()).as("%s: the path is part of the Diagnosis", r.name()).isEqualTo("Diagnosis");
      assertThat(path.commands()).as("%s: the path from the alarm", r.name()).hasSizeBetween(1, 3);
      String last = path.commands().getLast();
      assertThat(last).as("%s: where the path ends", r.name())
          .startsWith(PATH_ENDS_ELSEWHERE.getOrDefault(r.name(), "fanout timeline "));
    }
    assertThat(PATH_ENDS_ELSEWHERE.keySet()).as("runbooks listed here exist")
        .allSatisfy(name -> assertThat(RUNBOOKS.resolve(name + ".md")).exists());
  }

  /** Sections and the alarm links are checked by terraform/test/style.test.mjs; this is the local-exercise part. */
  @Test
  void everyRunbook_shouldHaveLocalCommandsInDiagnosisAndFewAwsOnlyBlocks() {
    for (Runbook r : Runbook.all(RUNBOOKS)) {
      assertThat(r.localBlocks()).as("%s has a Diagnosis command that runs locally", r.name())
          .anyMatch(b -> b.section().equals("Diagnosis"));
      assertThat(r.localBlocks()).as("%s has a command block that runs locally", r.name()).isNotEmpty();
      assertThat(r.blocks().stream().filter(Block::awsOnly).count())
          .as("%s: aws-only blocks stay few", r.name()).isLessThanOrEqualTo(r.localBlocks().size());
      assertThat(r.blocks().stream().filter(Block::awsOnly).flatMap(b -> b.commands().stream()))
          .as("%s: a fanout command in an aws-only block would never be exercised", r.name())
          .noneMatch(c -> c.startsWith("fanout ") || c.contains("$(fanout "));
    }
  }

  @Test
  void redrive_shouldRefuse_whenTheDlqHoldsPoisonMessages() {
    Result r = fanout("dlq", "redrive", "stock-reserve");
    assertThat(r.exit()).as(r.output()).isEqualTo(Fanout.REFUSED);
    assertThat(r.output()).contains("poison").contains("fanout dlq delete");
    assertThat(depth(dlq("stock-reserve"))).isPositive();
  }

  @Test
  void redrive_shouldRefuse_whenTheQueueIsNotTheDlqOfTheConsumer() {
    sqs.createQueue(b -> b.queueName(ENV + "-stray-thing"));
    String strayDlq = sqs.createQueue(b -> b.queueName(ENV + "-stray-thing-dlq")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(strayDlq).messageBody("{}"));
    Result r = fanout("dlq", "redrive", "stray-thing");
    assertThat(r.exit()).as(r.output()).isEqualTo(Fanout.REFUSED);
    assertThat(r.output()).contains("is not the DLQ of " + ENV + "-stray-thing");
    assertThat(depth(ENV + "-stray-thing-dlq")).isOne();
    Result missing = fanout("dlq", "redrive", "shop-nothing");
    assertThat(missing.exit()).isEqualTo(Fanout.REFUSED);
    assertThat(missing.output()).contains("does not exist");
    Result scheduleDlq = fanout("dlq", "redrive", "shop-daily-report");
    assertThat(scheduleDlq.exit()).isEqualTo(Fanout.REFUSED);
    assertThat(scheduleDlq.output()).contains("is not a consumer's DLQ");
  }

  private Result fanout(String... args) {
    Map<String, String> env = new HashMap<>(endpoints.cliEnvironment());
    env.put("ENV", ENV);
    env.put("FANOUT_SERVICES_DIR", RecordingConsumer.SERVICES.toAbsolutePath().toString());
    var out = new java.io.StringWriter();
    int code = Fanout.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(out, true), env);
    return new Result(code, out.toString());
  }

  /** A command's stdout and stderr apart: with {@code -o json}, stdout must be one JSON document. */
  record Split(int exit, String out, String err) {
    JsonNode json() {
      return EventJson.parse(out);
    }
  }

  private Split fanoutSplit(String... args) {
    Map<String, String> env = new HashMap<>(endpoints.cliEnvironment());
    env.put("ENV", ENV);
    env.put("FANOUT_SERVICES_DIR", RecordingConsumer.SERVICES.toAbsolutePath().toString());
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    int code = Fanout.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), env);
    return new Split(code, out.toString(), err.toString());
  }

  @Test
  void dlqCommands_shouldPrintOneJsonDocument_withCountsIdsAndFailures_whenOutputIsJson() {
    String dlqUrl = sqs.createQueue(b -> b.queueName(ENV + "-json-thing-dlq")).queueUrl();
    String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    sqs.createQueue(b -> b.queueName(ENV + "-json-thing").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}")));
    for (int i = 0; i < 3; i++) {
      sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody("{}"));
    }

    Split redrive = fanoutSplit("dlq", "redrive", "json-thing", "-o", "json");
    assertThat(redrive.exit()).as(redrive.err()).isZero();
    JsonNode r = redrive.json();
    assertThat(r.path("dlq").asText()).isEqualTo(ENV + "-json-thing-dlq");
    assertThat(r.path("destination").asText()).isEqualTo(ENV + "-json-thing");
    assertThat(r.path("method").asText()).isEqualTo("message-move-task");
    assertThat(r.path("messages").asLong()).isEqualTo(3);
    assertThat(r.path("moved").asLong()).isEqualTo(3);
    assertThat(r.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(r.path("remaining").asLong()).isZero();
    assertThat(r.path("failures").isArray() && r.path("failures").isEmpty()).isTrue();
    assertThat(redrive.err()).as("progress goes to stderr").contains("moved 3/3");
    assertThat(depth(ENV + "-json-thing")).isEqualTo(3);

    String kept = sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody("{}")).messageId();
    String gone = sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody("{}")).messageId();
    Split delete = fanoutSplit("dlq", "delete", "json-thing", "--message-id", gone + ",no-such-id", "-o", "json");
    assertThat(delete.exit()).as("an id not found fails the command").isEqualTo(Fanout.FAILED);
    assertThat(delete.json().path("deleted")).extracting(JsonNode::asText).containsExactly(gone);
    assertThat(delete.json().path("failures").path(0).path("id").asText()).isEqualTo("no-such-id");
    assertThat(delete.json().path("failures").path(0).path("reason").asText()).contains("not found in " + ENV + "-json-thing-dlq");
    assertThat(delete.err()).contains("no-such-id");

    Split purge = fanoutSplit("dlq", "purge", "json-thing", "--yes", "-o", "json");
    assertThat(purge.exit()).as(purge.err()).isZero();
    assertThat(purge.json().path("dlq").asText()).isEqualTo(ENV + "-json-thing-dlq");
    assertThat(purge.json().path("purged").asLong()).isEqualTo(1);
    assertThat(kept).isNotBlank();
    await("json-thing-dlq purged", () -> depth(ENV + "-json-thing-dlq") == 0);

    Split empty = fanoutSplit("dlq", "redrive", "json-thing", "-o", "json");
    assertThat(empty.exit()).isZero();
    assertThat(empty.json().path("status").asText()).isEqualTo("EMPTY");
    assertThat(empty.json().path("moved").asLong()).isZero();
  }

  @Test
  void publish_shouldPublishABatchInCallsOfTen_withProgress_andEachEventInTheJson() throws IOException {
    Path batch = work.resolve("batch.json");
    StringBuilder data = new StringBuilder("[");
    for (int i = 0; i < 12; i++) {
      data.append(i == 0 ? "" : ",").append("{\"orderId\":\"ord-batch-").append(i).append("\",\"scenario\":\"ok\"}");
    }
    Files.writeString(batch, data.append("]").toString());

    Split r = fanoutSplit("publish", "OrderPlaced", "--data", batch.toString(), "--correlation-id", "ord-batch", "-o", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.path("bus").asText()).isEqualTo(ENV + "-fanout");
    assertThat(json.path("published").asInt()).isEqualTo(12);
    assertThat(json.path("events")).hasSize(12).allSatisfy(e -> {
      assertThat(e.path("status").asText()).isEqualTo("published");
      assertThat(e.path("correlationId").asText()).isEqualTo("ord-batch");
      assertThat(e.path("source").asText()).isEqualTo("com.example.shop");
    });
    assertThat(json.path("failures")).isEmpty();
    assertThat(r.err()).as("progress on stderr, plain lines off a terminal").contains("published 12/12").doesNotContain("\r");
    await("the batch archived", () -> platform.archive().select(null, null, "ord-batch").size() == 12);
  }

  @Test
  void replay_shouldPrintTheCountAsJson_whenReplayingLocally() {
    Split r = fanoutSplit("replay", "--from", replayEventTime.minusSeconds(1).toString(), "--to",
        replayEventTime.plusSeconds(1).toString(), "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().path("target").asText()).isEqualTo("local");
    assertThat(r.json().path("replayed").asLong()).isEqualTo(1);
    assertThat(r.json().path("from").asText()).isEqualTo(replayEventTime.minusSeconds(1).toString());
    assertThat(r.json().path("failures")).isEmpty();
  }

  /** From a DLQ alarm to the failing order's timeline in three commands: queues, dlq inspect, timeline. */
  @Test
  void alarmToTimeline_shouldTakeThreeCommands_whenAConsumersDlqFills() {
    await("crashed messages in stock-crash-dlq", () -> depth(dlq("stock-crash")) >= 1);

    Result queues = fanout("queues", "--service", "stock", "-o", "json");
    assertThat(queues.exit()).as(queues.output()).isZero();
    JsonNode crashRow = null;
    for (JsonNode row : EventJson.parse(queues.output())) {
      if (row.path("dlq").asText().equals(dlq("stock-crash"))) {
        crashRow = row;
      }
    }
    assertThat(crashRow).as(queues.output()).isNotNull();
    assertThat(crashRow.path("dlqMessages").asLong()).isPositive();

    Result inspect = fanout("dlq", "inspect", "stock-crash", "--max", "1", "-o", "json");
    assertThat(inspect.exit()).as(inspect.output()).isZero();
    String cid = EventJson.parse(inspect.output()).path("peeked").path(0).path("correlationId").asText();
    assertThat(cid).isNotBlank();

    Result timeline = fanout("timeline", cid);
    assertThat(timeline.exit()).as(timeline.output()).isZero();
    assertThat(timeline.output()).contains("timeline of correlation id " + cid, "x-ray AWS::Events", "x-ray AWS::SNS",
        "poller failed");
  }

  /** The same command line as a process of its own, as bin/fanout starts it: environment only. */
  @Test
  void fanoutProcess_shouldReadEndpointsRegionAndEnvFromItsEnvironment() throws Exception {
    Path jvmBin = Files.createDirectories(work.resolve("jvm-bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    writeExecutable(jvmBin.resolve("fanout"), "#!/usr/bin/env bash\nexec '" + java
        + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path")
        + "' com.example.fanout.ops.Fanout \"$@\"\n");
    Map<String, String> env = new HashMap<>(baseEnvironment(jvmBin));
    env.put("ENV", ENV);
    env.put("FANOUT_SERVICES_DIR", RecordingConsumer.SERVICES.toAbsolutePath().toString());
    Result r = bash("fanout queues --service stock && fanout dlq inspect stock-crash --max 1", env, Duration.ofSeconds(60));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("ops-stock-backlog").contains("ops-stock-crash-dlq:");
  }

  // ---------------------------------------------------------------------------------------------
  // Running a block

  private void run(Scenario s, Block block) {
    if (AWS_CLI.matcher(withoutComments(block.script())).find() && !awsCli) {
      Assumptions.abort("the AWS CLI (`aws`) is not installed; install it to run " + block.label());
    }
    Map<String, String> env = new HashMap<>(baseEnvironment(bin));
    s.vars().forEach((k, v) -> env.put(k, v.get()));
    Result r = bash(block.script(), env, Duration.ofSeconds(90));
    System.out.printf("---- %s [%s]%n%s%n", block.label(), s.variant(), r.output());
    assertThat(r.exit()).as("exit code of %s%n%s%noutput:%n%s", block.label(), block.script(), r.output()).isZero();
    for (Check c : s.checks()) {
      if (block.prints(c.when())) {
        c.verify().accept(r.output());
      }
    }
    if (block.alarmPath() && block.commands().getLast().startsWith("fanout timeline ")) {
      assertThat(r.output()).as("the alarm path of %s ends at an order's timeline with its hops", block.runbook().name())
          .containsPattern("timeline of correlation id \\S+ \\([1-9]\\d* hops?\\)");
    }
  }

  private Map<String, String> baseEnvironment(Path binDir) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("FANOUT_") || k.equals("ENV"));
    env.putAll(endpoints.cliEnvironment());
    env.put("PATH", binDir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("AWS_PAGER", "");
    return env;
  }

  record Result(int exit, String output) {}

  private Result bash(String script, Map<String, String> env, Duration timeout) {
    try {
      ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true)
          .directory(REPO.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      var output = new java.io.ByteArrayOutputStream();
      Thread reader = Thread.ofVirtual().start(() -> {
        try {
          p.getInputStream().transferTo(output);
        } catch (IOException e) {
          // process gone
        }
      });
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        reader.join(1000);
        return new Result(-1, output.toString(StandardCharsets.UTF_8) + "\n[timed out after " + timeout + "]");
      }
      reader.join(5000);
      return new Result(p.exitValue(), output.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String withoutComments(String script) {
    return script.lines().map(l -> l.replaceFirst("(^|\\s)#.*$", "")).reduce("", (a, b) -> a + b + "\n");
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private List<Envelope> publish(String situation, int count) {
    List<Envelope> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(envelope(situation));
    }
    published.put(situation, list);
    var response = events.putEvents(b -> b.entries(list.stream().map(this::entry).toList()));
    assertThat(response.failedEntryCount()).isZero();
    return list;
  }

  private Envelope envelope(String situation) {
    String orderId = "ord-" + situation + "-" + UUID.randomUUID().toString().substring(0, 8);
    return Envelope.first("OrderPlaced", 1, "com.example.shop", orderId,
        Map.of("orderId", orderId, "scenario", situation), Instant.now());
  }

  private PutEventsRequestEntry entry(Envelope e) {
    return PutEventsRequestEntry.builder().eventBusName(ENV + "-fanout").source(e.source()).detailType(e.type())
        .detail(EventJson.writeEnvelope(e)).build();
  }

  private void send(String queueName, String body, Map<String, String> attributes) {
    String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    Map<String, MessageAttributeValue> attrs = new HashMap<>();
    attributes.forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageAttributes(attrs));
  }

  private String writeOrder() {
    Path file = work.resolve("order.json");
    try {
      Files.writeString(file, "{\"orderId\":\"ord-reemitted\",\"scenario\":\"ok\"}");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file.toString();
  }

  private List<String> ids(String situation) {
    return published.get(situation).stream().map(Envelope::id).toList();
  }

  private static String queue(String consumer) {
    return ENV + "-" + consumer;
  }

  private static String dlq(String consumer) {
    return ENV + "-" + consumer + "-dlq";
  }

  private static String bucket() {
    return ENV + "-shop-imports-" + ACCOUNT;
  }

  private long depth(String queueName) {
    String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private String messageIdContaining(String queueName, String text) {
    String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0)).messages().stream()
        .filter(m -> m.body().contains(text)).findFirst().map(m -> m.messageId()).orElse("none-in-" + queueName);
  }

  private String firstMessageId(String queueName) {
    String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(0)).messages().stream()
        .findFirst().map(m -> m.messageId()).orElse("none-in-" + queueName);
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static void writeExecutable(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
