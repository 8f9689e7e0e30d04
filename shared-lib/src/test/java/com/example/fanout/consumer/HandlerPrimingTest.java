package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.idempotency.DynamoDbPersistenceStore;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.HeldClaim;
import com.example.fanout.runtime.JitSettling;
import com.example.fanout.runtime.LoopbackEndpoint;
import com.example.fanout.runtime.PrimingRequests;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.OrderPlacedConsumer.OrderPlaced;
import com.example.fanout.testing.RecordingXRay;
import com.example.fanout.testing.StdoutCapture;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.XRayTracer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Invoke priming (ADR 0120): a consumer that primes its handlers runs the catalog's samples through
 * them before a snapshot, with the clients it was built with, and nothing of it reaches AWS, stdout
 * or the function's X-Ray recorder.
 */
class HandlerPrimingTest {
  /** The backoff of a failed record's first receive, in the runtimes that back off. */
  private static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
  /** Stands in for AWS: every client of the function is pointed at it. */
  private final List<LoopbackEndpoint.Request> reachedAws = new CopyOnWriteArrayList<>();
  private final RecordingXRay xray = new RecordingXRay();
  private final AtomicInteger sqsClientsBuilt = new AtomicInteger();
  private LoopbackEndpoint aws;

  @BeforeEach
  void start() throws Exception {
    aws = new LoopbackEndpoint(reachedAws::add);
  }

  @AfterEach
  void stop() throws Exception {
    aws.close();
  }

  @Test
  void beforeCheckpoint_shouldRunTheSamplesThroughTheHandlersAndTheirClients_withNothingReachingAwsStdoutOrXRay() {
    AtomicInteger handled = new AtomicInteger();
    DynamoDbClient stock = client(DynamoDbClient.builder());
    PrimedConsumer consumer = new PrimedConsumer(runtime(), (event, order, ctx) -> {
      stock.getItem(r -> r.tableName("stock").key(Map.of("sku", AttributeValue.fromS(order.items().getFirst().sku()))));
      OrderPlacedConsumer.reserve(order, ctx);
      handled.incrementAndGet();
    });

    List<JsonNode> printed;
    try (StdoutCapture stdout = new StdoutCapture()) {
      consumer.beforeCheckpoint(null);
      printed = stdout.jsonLines();
    }

    assertThat(handled).as("the sample, through the handler, in eight records of every priming batch of each pass (the ninth's"
        + " claim is held elsewhere)").hasValue(JitSettling.PRIMING_PASSES * EventConsumer.PRIMING_BATCHES * 8);
    assertThat(reachedAws).as("requests that left for AWS, the poison records' DLQ moves among them").isEmpty();
    assertThat(printed).as("log lines and metrics documents printed, a failure warning among them").isEmpty();
    assertThat(sqsClientsBuilt).as("the SQS client, built by the first DLQ move, before the snapshot").hasValue(1);
    assertThat(xray.sent()).as("what the function's X-Ray recorder sent").isEmpty();

    // The control: the same consumer's first real batch reaches all three.
    try (StdoutCapture stdout = new StdoutCapture()) {
      consumer.handleRequest(Messages.batch(Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced()))),
          new TestLambdaContext("dev-inventory-reserve-stock"));
      printed = stdout.jsonLines();
    }
    assertThat(handled).hasValue(JitSettling.PRIMING_PASSES * EventConsumer.PRIMING_BATCHES * 8 + 1);
    assertThat(reachedAws).extracting(LoopbackEndpoint.Request::target).contains(
        "DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem", "AWSEvents.PutEvents");
    assertThat(printed).anyMatch(line -> line.has("_aws")).anyMatch(line -> line.has("message"));
    assertThat(xray.sent()).as("the record's span, and its calls under it").extracting(RecordingXRay.Sent::name)
        .contains("inventory.reserve-stock OrderPlaced", "DynamoDb");
  }

  @Test
  void beforeCheckpoint_shouldMovePoisonRecordsToTheDlqAndNeverCallTheHandler_whenTheConsumerDoesNotOptIn() {
    AtomicInteger handled = new AtomicInteger();
    OrderPlacedConsumer consumer = new OrderPlacedConsumer(runtime(), (event, order, ctx) -> handled.incrementAndGet());

    List<JsonNode> printed;
    try (StdoutCapture stdout = new StdoutCapture()) {
      consumer.beforeCheckpoint(null);
      printed = stdout.jsonLines();
    }

    assertThat(handled).as("calls of a handler whose calls priming cannot hold back (a payment provider's)").hasValue(0);
    assertThat(sqsClientsBuilt).as("the DLQ's client, built by the poison records' moves, before the snapshot").hasValue(1);
    assertThat(reachedAws).isEmpty();
    assertThat(printed).as("the poison records' error lines and metrics, a failure warning among them").isEmpty();
    assertThat(xray.sent()).isEmpty();
  }

  @Test
  void beforeCheckpoint_shouldWarnWithTheCount_whenTheSamplesFailInTheHandlers() {
    PrimedConsumer consumer = new PrimedConsumer(runtime(), (event, order, ctx) -> {
      throw new IllegalStateException("a store the sample does not satisfy");
    });

    List<JsonNode> printed;
    try (StdoutCapture stdout = new StdoutCapture()) {
      consumer.beforeCheckpoint(null);
      printed = stdout.jsonLines();
    }

    assertThat(printed).extracting(line -> line.path("message").asText()).as("a warning a pass").containsExactlyElementsOf(
        java.util.Collections.nCopies(JitSettling.PRIMING_PASSES, "invoke priming: 160 of the samples failed in the handler;"
            + " the first invocation after a restore loads what their success path needs"));
    assertThat(reachedAws).isEmpty();
  }

  @Test
  void priming_shouldMoveEachBatchsPoisonRecordToTheDlq_asTheSdkSendsIt() {
    PrimedConsumer consumer = new PrimedConsumer(runtime(), (event, order, ctx) -> OrderPlacedConsumer.reserve(order, ctx));

    List<LoopbackEndpoint.Request> primed = PrimingRequests.of(consumer.primingInvocations());

    assertThat(primed).filteredOn(r -> "AmazonSQS.SendMessage".equals(r.target()))
        .as("a DLQ move a batch, to the consumer's DLQ, naming the failure's class and the consumer as a dead letter does")
        .hasSize(EventConsumer.PRIMING_BATCHES)
        .extracting(r -> EventJson.parse(r.body()))
        .allSatisfy(move -> {
          assertThat(move.path("QueueUrl").asText()).endsWith("/000000000000/dev-inventory-reserve-stock-dlq");
          assertThat(move.path("MessageAttributes").path("fanout-failure-class").path("StringValue").asText())
              .isEqualTo("schema-violation");
          assertThat(move.path("MessageAttributes").path("fanout-consumer").path("StringValue").asText())
              .isEqualTo("inventory.reserve-stock");
        });
    assertThat(primed).filteredOn(r -> "AWSEvents.PutEvents".equals(r.target()))
        .as("each batch's follow-ups, the samples' through the handler, in one call").hasSize(EventConsumer.PRIMING_BATCHES);
  }

  @Test
  void priming_shouldTakeTheRetryPathOnceABatch_withTheClaimRefusedAndTheBackoffSentAsTheSdkSendsThem() {
    AtomicInteger handled = new AtomicInteger();
    PrimedConsumer consumer = new PrimedConsumer(runtimeWithBackoff().build(), (event, order, ctx) -> {
      OrderPlacedConsumer.reserve(order, ctx);
      handled.incrementAndGet();
    });

    List<LoopbackEndpoint.Request> primed = PrimingRequests.of(consumer.primingInvocations());

    assertThat(primed).filteredOn(r -> "DynamoDB_20120810.PutItem".equals(r.target()))
        .filteredOn(r -> r.body().contains("reserve-stock#" + HeldClaim.EVENT_ID))
        .as("a claim a batch that the loopback refused, so that the handler never ran for it").hasSize(EventConsumer.PRIMING_BATCHES);
    assertThat(handled).hasValue(EventConsumer.PRIMING_BATCHES * 8);
    assertThat(primed).filteredOn(r -> "AmazonSQS.ChangeMessageVisibility".equals(r.target()))
        .as("the failed record's backoff, a batch, on its own queue")
        .hasSize(EventConsumer.PRIMING_BATCHES)
        .extracting(r -> EventJson.parse(r.body()))
        .allSatisfy(backoff -> {
          assertThat(backoff.path("QueueUrl").asText()).endsWith("/000000000000/prime");
          assertThat(backoff.path("ReceiptHandle").asText()).matches("prime-\\d+-held");
          assertThat(backoff.path("VisibilityTimeout").asLong()).isEqualTo(BACKOFF_BASE.toSeconds());
        });
  }

  @Test
  void priming_shouldTakeTheRetryPathWithoutCallingTheHandler_whenTheConsumerDoesNotOptIn() {
    AtomicInteger handled = new AtomicInteger();
    PrimedConsumer consumer = new PrimedConsumer(runtimeWithBackoff().build(), (event, order, ctx) -> handled.incrementAndGet(), false);

    List<LoopbackEndpoint.Request> primed = PrimingRequests.of(consumer.primingInvocations());

    assertThat(handled).as("a handler whose calls priming cannot hold back (a payment provider's)").hasValue(0);
    // Calls only: priming's last request, which closes the connection the JDK kept, names no target.
    assertThat(primed).extracting(LoopbackEndpoint.Request::target).filteredOn(java.util.Objects::nonNull)
        .as("per batch: the held claim, its backoff, the poison's move")
        .containsExactlyInAnyOrderElementsOf(java.util.Collections.nCopies(EventConsumer.PRIMING_BATCHES,
            List.of("DynamoDB_20120810.PutItem", "AmazonSQS.ChangeMessageVisibility", "AmazonSQS.SendMessage"))
            .stream().flatMap(List::stream).toList());
    assertThat(primed).filteredOn(r -> "DynamoDB_20120810.PutItem".equals(r.target()))
        .allSatisfy(claim -> assertThat(claim.body()).contains("reserve-stock#" + HeldClaim.EVENT_ID));
  }

  @Test
  void priming_shouldRunNineSamplesABatchAndNoRetry_whenTheConsumerKeepsNoIdempotencyRecords() {
    AtomicInteger handled = new AtomicInteger();
    PrimedConsumer consumer = new PrimedConsumer(runtimeWithBackoff().idempotency(null).build(),
        (event, order, ctx) -> handled.incrementAndGet());

    List<LoopbackEndpoint.Request> primed = PrimingRequests.of(consumer.primingInvocations());

    assertThat(handled).hasValue(EventConsumer.PRIMING_BATCHES * 9);
    assertThat(primed).extracting(LoopbackEndpoint.Request::target)
        .doesNotContain("DynamoDB_20120810.PutItem", "AmazonSQS.ChangeMessageVisibility");
  }

  /** reserve-stock's runtime, every client built the way a function builds its own ({@link AwsClients}). */
  private ConsumerRuntime runtime() {
    return runtimeBuilder().build();
  }

  /** reserve-stock's runtime, a failed record hidden for {@link #BACKOFF_BASE} on its first receive. */
  private ConsumerRuntime.Builder runtimeWithBackoff() {
    return runtimeBuilder().visibilityBackoff(BACKOFF_BASE, Duration.ofMinutes(15));
  }

  private ConsumerRuntime.Builder runtimeBuilder() {
    XRayTracer tracer = xray.tracer();
    return ConsumerRuntime.builder()
        .service("inventory").consumer("reserve-stock")
        .tracer(tracer)
        .sqs(AwsClients.onFirstUse(() -> {
          sqsClientsBuilt.incrementAndGet();
          return client(SqsClient.builder());
        }))
        .deadLetterQueueUrl(aws.endpoint() + "/000000000000/dev-inventory-reserve-stock-dlq")
        .eventBridge(client(EventBridgeClient.builder()), "dev-fanout")
        .idempotency(new DynamoDbPersistenceStore(client(DynamoDbClient.builder()), "dev-idempotency"));
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
    return new AwsClients(new XRayTracer()).build(builder.endpointOverride(URI.create(aws.endpoint().toString()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))));
  }

  private static final class PrimedConsumer extends EventConsumer {
    private final boolean primesHandlers;

    PrimedConsumer(ConsumerRuntime runtime, EventHandler<OrderPlaced> handler) {
      this(runtime, handler, true);
    }

    /** {@code primesHandlers}: whether the consumer opts in to invoke priming. */
    PrimedConsumer(ConsumerRuntime runtime, EventHandler<OrderPlaced> handler, boolean primesHandlers) {
      super(runtime, handlers -> handlers.on("OrderPlaced", OrderPlaced.class, handler));
      this.primesHandlers = primesHandlers;
    }

    @Override
    protected boolean primesHandlers() {
      return primesHandlers;
    }
  }

  static {
    EventJson.mapper(); // loaded before the capture starts
  }
}
