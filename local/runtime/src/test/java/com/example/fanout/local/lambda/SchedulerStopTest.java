package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.manifest.ScheduleExpression;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's stop, as it reaches a schedule: no further run fires, and a run being made is not
 * interrupted. Lambda's asynchronous queue stops next and lets that attempt finish, so the run ends
 * as a success, not an error with the event kept or dropped.
 */
class SchedulerStopTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void stop_shouldLetTheRunBeingMadeFinish_andFireNoOther() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    RequestHandler<Object, Void> job = (event, context) -> {
      runs.incrementAndGet();
      entered.countDown();
      try {
        release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        finished.incrementAndGet();
      } catch (InterruptedException e) {
        interrupted.set(true);
        Thread.currentThread().interrupt();
      }
      return null;
    };
    Path keep = dir.resolve("async-events.jsonl");
    LocalClock clock = new LocalClock(600);
    try (SpanLog spans = new SpanLog(dir); LocalFunction function = TestFunctions.local("t-shop-tick", job, 10)) {
      AsyncInvocations queue = new AsyncInvocations(clock);
      queue.keepWaitingIn(keep, name -> Optional.empty());
      Scheduler scheduler = new Scheduler(clock, queue, spans, Scheduler.RolePermission.ALLOW_ALL, group -> {});
      // Every minute of the clock: 0.1 s of real time.
      scheduler.schedule("t-shop-tick", "t-shop-tick", ScheduleExpression.parse("rate(1 minute)"), ZoneOffset.UTC, function, r -> {},
          new Scheduler.DeadLetterQueue("arn:aws:sqs:us-east-1:000000000000:t-shop-tick-dlq", (body, attributes) -> true));
      scheduler.start();
      assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("a run in progress").isTrue();

      scheduler.close();
      Thread stopping = Thread.ofPlatform().start(() -> {
        try {
          queue.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      release.countDown();
      stopping.join(TIMEOUT.toMillis());

      assertThat(stopping.isAlive()).as("the queue's stop returned").isFalse();
      assertThat(interrupted).as("the run was interrupted").isFalse();
      assertThat(finished.get()).isOne();
      assertThat(runs.get()).as("runs fired, none after the stop").isOne();
      assertThat(keep).as("nothing left in the queue to keep").doesNotExist();
    }
  }
}
