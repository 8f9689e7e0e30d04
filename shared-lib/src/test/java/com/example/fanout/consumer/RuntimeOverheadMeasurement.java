package com.example.fanout.consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.event.Envelope;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.testing.FakeEventBridge;
import com.example.fanout.testing.InMemoryPersistenceStore;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.RecordingXRay;
import com.example.fanout.testing.TestLambdaContext;
import com.example.fanout.tracing.Tracer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Rough per-record cost of the runtime itself (unwrap, validate, bind, idempotency algorithm,
 * tracing, logging, metrics), with an in-memory store and no I/O unless stated. Not a JMH benchmark:
 * run on demand with {@code -Dtest=RuntimeOverheadMeasurement -Dfanout.measure=true}; it prints the numbers.
 */
@EnabledIfSystemProperty(named = "fanout.measure", matches = "true")
class RuntimeOverheadMeasurement {
  private static final int WARM_UP_BATCHES = 500;
  private static final int MEASURED_BATCHES = 500;
  private static final int BATCH_SIZE = 10;

  @Test
  void measure() {
    Catalog catalog = Catalog.fromClasspath();
    try (SqsClient unusedSqs = LocalAws.sqs(URI.create("http://127.0.0.1:9"));
         FakeEventBridge eventBridge = new FakeEventBridge()) {
      Function<Boolean, ConsumerRuntime.Builder> base = withStore -> {
        ConsumerRuntime.Builder b = ConsumerRuntime.builder().service("inventory").consumer("reserve-stock")
            .catalog(catalog).sqs(unusedSqs).deadLetterQueueUrl("http://127.0.0.1:9/000000000000/unused")
            .eventBridge(eventBridge.client(), "dev-fanout");
        return withStore ? b.idempotency(new InMemoryPersistenceStore()) : b;
      };
      OrderPlacedConsumer bare = new OrderPlacedConsumer(base.apply(false).tracer(Tracer.none()).build(), (e, o, c) -> { });
      report("warm-up (discarded)", bare);
      report("bare, INFO line per record: unwrap+validate+dispatch+log+EMF", bare);
      // Lambda ships stdout asynchronously; surefire's capture of it is slower, so show the runtime without it too.
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
      report("bare, logging at WARN", bare);
      report("+ idempotency (in-memory store) + X-Ray SDK tracer, WARN",
          new OrderPlacedConsumer(base.apply(true).tracer(new RecordingXRay().tracer()).build(), (e, o, c) -> { }));
      report("+ emit one follow-up, PutEvents over loopback HTTP, WARN",
          new OrderPlacedConsumer(base.apply(true).tracer(new RecordingXRay().tracer()).build(),
              (e, o, c) -> OrderPlacedConsumer.reserve(o, c)));
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
    }
  }

  private static void report(String label, OrderPlacedConsumer consumer) {
    TestLambdaContext context = new TestLambdaContext("dev-inventory-reserve-stock");
    for (int i = 0; i < WARM_UP_BATCHES; i++) {
      consumer.handleRequest(batch(), context);
    }
    List<SQSEvent> batches = new ArrayList<>();
    for (int i = 0; i < MEASURED_BATCHES; i++) {
      batches.add(batch());
    }
    long start = System.nanoTime();
    for (SQSEvent batch : batches) {
      consumer.handleRequest(batch, context);
    }
    double micros = (System.nanoTime() - start) / 1_000.0 / (MEASURED_BATCHES * BATCH_SIZE);
    System.err.printf("RUNTIME-OVERHEAD %-55s %8.1f us/record%n", label, micros);
  }

  private static SQSEvent batch() {
    SQSMessage[] records = new SQSMessage[BATCH_SIZE];
    for (int i = 0; i < BATCH_SIZE; i++) {
      Envelope event = Messages.orderPlaced("ord_" + Long.toHexString(System.nanoTime()) + i, d -> { });
      records[i] = Messages.record(Messages.eventBridgeEvent(event));
    }
    return Messages.batch(records);
  }
}
