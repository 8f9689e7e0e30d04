package com.example.fanout.local;

import static com.example.fanout.local.Events.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.example.fanout.local.testing.CountingSqsHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Rough events/second from PutEvents to one consumer's handler (EventBridge, SNS filter, SQS,
 * poller, handler, delete). Runs only with {@code -Dfanout.measure=true}; prints its result.
 */
@ExtendWith(TestPlatform.Lifecycle.class)
class ThroughputMeasurementTest {
  private static final int EVENTS = Integer.getInteger("fanout.measure.events", 5_000);
  private static final int PUBLISHERS = 4;

  @Test
  void oneConsumerChain_shouldDeliverEveryEvent_andReportItsRate() throws Exception {
    assumeTrue(Boolean.getBoolean("fanout.measure"), "set -Dfanout.measure=true to measure");
    System.out.println("start-up to ready: " + TestPlatform.startMillis() + " ms");
    long before = CountingSqsHandler.COUNT.get();
    ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
    long t0 = System.nanoTime();
    List<Future<?>> publishing = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      publishing.add(pool.submit(() -> {
        try (EventBridgeClient events = TestPlatform.eventBridge()) {
          for (int sent = 0; sent < EVENTS / PUBLISHERS; sent += 10) {
            List<PutEventsRequestEntry> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              batch.add(entry("com.example.chaos", "ChaosProbed", Events.newCorrelationId(), Map.of("n", sent + i, "pad", "x".repeat(700))));
            }
            assertThat(events.putEvents(b -> b.entries(batch)).failedEntryCount()).isZero();
          }
        }
      }));
    }
    for (Future<?> f : publishing) {
      f.get();
    }
    long published = System.nanoTime();
    int expected = (EVENTS / PUBLISHERS / 10) * 10 * PUBLISHERS;
    Eventually.await(Duration.ofMinutes(3), () -> CountingSqsHandler.COUNT.get() - before >= expected);
    long done = System.nanoTime();
    pool.shutdown();
    double seconds = (done - t0) / 1e9;
    System.out.printf("published %d events (~1 KB) in %.1f s (%.0f/s accepted); all handled after %.1f s: %.0f events/s end to end%n",
        expected, (published - t0) / 1e9, expected / ((published - t0) / 1e9), seconds, expected / seconds);
  }
}
