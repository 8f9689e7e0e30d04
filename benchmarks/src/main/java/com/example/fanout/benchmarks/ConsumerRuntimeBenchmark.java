package com.example.fanout.benchmarks;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.testing.FakeEventBridge;
import com.example.fanout.testing.InMemoryPersistenceStore;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer.OrderPlaced;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.Tracer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The consumer runtime's cost per SQS batch of 10 (unwrap SNS/EventBridge, envelope, schema
 * validation, dispatch, metrics; logging at WARN as a busy function would run), against a
 * baseline that does the least any consumer must: parse each body and bind the data to a record.
 * A fresh event id per record, so idempotency always does its full claim-and-complete work.
 *
 * <p>The records' bodies are made from one template by replacing its event and order ids, so that
 * making a batch costs little next to what is measured: until 2026-12-04 each body was built as
 * JSON inside every method, 85 % of the baseline's time, which flattered the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConsumerRuntimeBenchmark {
  static final int BATCH = 10;

  private final AtomicLong sequence = new AtomicLong();
  final AtomicLong handled = new AtomicLong();
  private SqsClient unusedSqs;
  private FakeEventBridge eventBridge;
  private OrderPlacedConsumer runtimeOnly;
  private OrderPlacedConsumer withIdempotency;
  private TestLambdaContext context;
  private String template;
  private String templateEventId;
  private String templateOrderId;
  private EventSchemas schemas;

  @Setup
  public void setUp() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(ch.qos.logback.classic.Level.WARN);
    Catalog catalog = Catalog.fromClasspath();
    schemas = new EventSchemas(catalog);
    unusedSqs = LocalAws.sqs(URI.create("http://127.0.0.1:9"));
    eventBridge = new FakeEventBridge();
    runtimeOnly = new OrderPlacedConsumer(runtime(catalog).build(), (e, o, c) -> handled.incrementAndGet());
    withIdempotency = new OrderPlacedConsumer(runtime(catalog).idempotency(new InMemoryPersistenceStore()).build(),
        (e, o, c) -> handled.incrementAndGet());
    context = new TestLambdaContext("dev-inventory-reserve-stock");
    Envelope sample = Messages.orderPlaced("ord_benchTemplate000", d -> { });
    template = Messages.eventBridgeEvent(sample);
    templateEventId = sample.id();
    templateOrderId = sample.correlationId();
  }

  private ConsumerRuntime.Builder runtime(Catalog catalog) {
    return ConsumerRuntime.builder().service("inventory").consumer("reserve-stock").catalog(catalog)
        .sqs(unusedSqs).deadLetterQueueUrl("http://127.0.0.1:9/000000000000/unused")
        .eventBridge(eventBridge.client(), "dev-fanout").tracer(Tracer.none());
  }

  @TearDown
  public void tearDown() {
    eventBridge.close();
    unusedSqs.close();
  }

  @Benchmark
  public long baselineParseAndBind() {
    long total = 0;
    for (SQSMessage m : batch().getRecords()) {
      JsonNode detail = EventJson.parse(m.getBody()).get("detail");
      total += EventJson.convert(detail.get("data"), OrderPlaced.class).totalCents();
    }
    return total;
  }

  /**
   * The least a consumer that checks each record against its schema must do: parse, validate the
   * data with the catalog's schema, bind. Against it, {@link #runtime} shows what the runtime adds
   * beyond the validation every record needs.
   */
  @Benchmark
  public long baselineParseValidateAndBind() {
    long total = 0;
    for (SQSMessage m : batch().getRecords()) {
      JsonNode detail = EventJson.parse(m.getBody()).get("detail");
      JsonNode data = detail.get("data");
      List<String> violations = schemas.violations(detail.get("type").textValue(), detail.get("version").intValue(), data);
      if (!violations.isEmpty()) {
        throw new IllegalStateException("the template broke its schema: " + violations);
      }
      total += EventJson.convert(data, OrderPlaced.class).totalCents();
    }
    return total;
  }

  @Benchmark
  public int runtime() {
    return runtimeOnly.handleRequest(batch(), context).getBatchItemFailures().size();
  }

  @Benchmark
  public int runtimeWithIdempotency() {
    return withIdempotency.handleRequest(batch(), context).getBatchItemFailures().size();
  }

  private SQSEvent batch() {
    SQSMessage[] records = new SQSMessage[BATCH];
    for (int i = 0; i < BATCH; i++) {
      long n = sequence.incrementAndGet();
      records[i] = Messages.record(template.replace(templateEventId, "evt_bench" + n).replace(templateOrderId, "ord_benchorder" + n));
    }
    return Messages.batch(records);
  }
}
