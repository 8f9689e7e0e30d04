package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.sqs.QueueRef;
import com.example.fanout.local.sqs.Queues;
import com.example.fanout.manifest.ServiceManifest.Batch;
import com.example.fanout.manifest.ServiceManifest.QueueSpec;
import com.example.fanout.local.testing.EmbeddedSqs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping an SQS event-source mapping, as a platform's clean stop does (Ctrl-C, or the restart of
 * a persisted platform), against ElasticMQ: no message is left invisible for the rest of its
 * visibility timeout by the stop itself. A batch being handled finishes and is deleted; a batch
 * received but not yet handed to the function is made visible again.
 */
class SqsEventSourceMappingStopTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @RegisterExtension
  static final EmbeddedSqs SQS = new EmbeddedSqs();

  @TempDir
  Path dir;

  @Test
  void stop_shouldFinishTheBatchBeingHandled_andHandBackTheBatchWaitingForConcurrency() throws Exception {
    Queues queues = new Queues(SQS.client());
    QueueRef queue = queues.createWithDlq("t-stop-" + Long.toHexString(System.nanoTime()), new QueueSpec(300, 3));
    for (int i = 0; i < 20; i++) {
      int n = i;
      SQS.client().sendMessage(r -> r.queueUrl(queue.url()).messageBody("{\"n\":" + n + "}"));
    }
    CountDownLatch handling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batches = new CopyOnWriteArrayList<>();
    RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
      batches.add(event.getRecords().size());
      handling.countDown();
      try {
        release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
    };

    try (SpanLog spans = new SpanLog(dir); LocalFunction function = TestFunctions.local("audit-stop", handler, 60)) {
      SqsEventSourceMapping mapping = new SqsEventSourceMapping("audit-stop", queue, new Batch(10, 0, 1),
          new QueueSpec(300, 3), 1, function, SQS.client(), spans, FaultPlan.none(), new LocalClock(1));
      assertThat(handling.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the first batch reached the handler").isTrue();
      Eventually.await(TIMEOUT, () -> queues.depth(queue).inFlight() == 20,
          "the second batch received, waiting for the function's only concurrency");

      Thread stopping = Thread.ofPlatform().start(mapping::close);
      Eventually.await(TIMEOUT, () -> queues.depth(queue).visible() == 10,
          "the waiting batch handed back while the first is still being handled");
      release.countDown();
      stopping.join(TIMEOUT.toMillis());

      assertThat(stopping.isAlive()).as("the stop returned").isFalse();
      assertThat(batches).as("one invocation: the waiting batch never reached the function").containsExactly(10);
      Queues.QueueDepth depth = queues.depth(queue);
      assertThat(depth.inFlight()).as("messages left invisible by the stop").isZero();
      assertThat(depth.visible()).as("the batch handed back, none of the handled one").isEqualTo(10);
      assertThat(depth.dlq()).isZero();
    }
  }
}
