package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.LocalClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lambda's asynchronous queue: across a stop, what waits for an attempt is kept and the next start
 * counts on from it, an attempt being made at the stop finishes, and without a keep file the stop
 * drops what waits; at the function's reserved concurrency, further events are throttled and wait,
 * until they are too old. At clock speed 1 a retry waits a real minute, so only the stop ends it.
 */
class AsyncInvocationsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final JsonNode EVENT = EventJson.parse("{\"Records\":[{\"s3\":{\"object\":{\"key\":\"incoming/a.csv\"}}}]}");

  @TempDir
  Path dir;

  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> records = new CopyOnWriteArrayList<>();

  @Test
  void stop_shouldKeepTheEventWaitingForItsSecondAttempt_andTheNextStartMakesIt() throws Exception {
    Path file = dir.resolve("lambda").resolve("async-events.jsonl");
    try (LocalFunction function = TestFunctions.local("t-shop-imports", failingFirst(1))) {
      AsyncInvocations before = stoppedAfterTheFirstAttempt(function, file);

      assertThat(before.keptAtStop()).isOne();
      JsonNode kept = EventJson.parse(Files.readString(file));
      assertThat(kept.get("function").asText()).isEqualTo("t-shop-imports");
      assertThat(kept.get("attempt").asInt()).as("the attempt it waits for").isEqualTo(2);
      assertThat(kept.get("event")).isEqualTo(EVENT);
      assertThat(Duration.parse(kept.get("age").asText())).as("its age at the stop").isBetween(Duration.ZERO, TIMEOUT);

      AsyncInvocations after = new AsyncInvocations(new LocalClock(1));
      int resumed = after.keepWaitingIn(file, name -> Optional.of(new AsyncInvocations.Target(function, records::add)));
      assertThat(resumed).isOne();
      assertThat(file).as("taken once").doesNotExist();
      Eventually.await(TIMEOUT, () -> calls.get() == 2, "the second attempt made at the start");
      after.close();
      assertThat(after.keptAtStop()).as("nothing waits after the second attempt succeeded").isZero();
      assertThat(file).doesNotExist();
      assertThat(records).isEmpty();
    }
  }

  @Test
  void resumedEvent_shouldCountOnFromItsKeptAttempt_andSendTheRecordAfterTheThird() throws Exception {
    Path file = dir.resolve("async-events.jsonl");
    try (LocalFunction function = TestFunctions.local("t-shop-tick", failingFirst(Integer.MAX_VALUE))) {
      stoppedAfterTheFirstAttempt(function, file);

      // Two minutes before the third attempt pass in 20 ms at this speed.
      AsyncInvocations after = new AsyncInvocations(new LocalClock(6000));
      after.keepWaitingIn(file, name -> Optional.of(new AsyncInvocations.Target(function, records::add)));
      Eventually.await(TIMEOUT, () -> records.size() == 1, "the record of the event that failed every attempt");
      after.close();

      assertThat(calls.get()).as("three attempts in all, one before the stop and two after").isEqualTo(3);
      JsonNode record = EventJson.parse(records.get(0));
      assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetriesExhausted");
      assertThat(record.at("/requestContext/functionArn").asText()).isEqualTo(FunctionArns.alias("t-shop-tick"));
      assertThat(record.at("/requestPayload")).isEqualTo(EVENT);
      assertThat(record.at("/responsePayload/errorMessage").asText()).isEqualTo("attempt 3 failed (test)");
    }
  }

  /**
   * A platform at a fast clock kept the event: its clock ran hours ahead of the real time, which the
   * next start's clock begins at. The event's age, not that clock's instant, carries over: past the
   * maximum event age, its record goes to the destination without another attempt.
   */
  @Test
  void resumedEvent_shouldBeAsOldAsAtTheStop_evenWhenTheLastRunsClockRanAhead() throws Exception {
    Path file = dir.resolve("async-events.jsonl");
    try (LocalFunction function = TestFunctions.local("t-shop-imports", failingFirst(Integer.MAX_VALUE))) {
      stoppedAfterTheFirstAttempt(function, file);
      var kept = (com.fasterxml.jackson.databind.node.ObjectNode) EventJson.parse(Files.readString(file));
      kept.put("acceptedAt", java.time.Instant.now().plus(Duration.ofHours(10)).toString());
      kept.put("age", AsyncInvocations.MAXIMUM_EVENT_AGE.plusMinutes(1).toString());
      Files.writeString(file, EventJson.write(kept) + "\n");

      AsyncInvocations after = new AsyncInvocations(new LocalClock(1));
      after.keepWaitingIn(file, name -> Optional.of(new AsyncInvocations.Target(function, records::add)));
      Eventually.await(TIMEOUT, () -> records.size() == 1, "the record of the event past its maximum age");
      after.close();

      assertThat(calls.get()).as("no attempt after the start").isOne();
      JsonNode record = EventJson.parse(records.get(0));
      assertThat(record.at("/requestContext/condition").asText()).isEqualTo("EventAgeExceeded");
      assertThat(record.at("/requestPayload")).isEqualTo(EVENT);
    }
  }

  @Test
  void stop_shouldLetTheAttemptBeingMadeFinish_andKeepNothingWhenItSucceeds() throws Exception {
    Path file = dir.resolve("async-events.jsonl");
    CountDownLatch inAttempt = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (LocalFunction function = TestFunctions.local("t-shop-tick", holding(inAttempt, release), 10)) {
      AsyncInvocations invocations = new AsyncInvocations(new LocalClock(1));
      invocations.keepWaitingIn(file, name -> Optional.empty());
      CompletableFuture<Optional<Exception>> running = invokeInBackground(invocations, function);
      assertThat(inAttempt.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      Thread stopping = Thread.ofPlatform().start(() -> {
        try {
          invocations.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      release.countDown();
      stopping.join(TIMEOUT.toMillis());

      assertThat(stopping.isAlive()).as("the stop returned").isFalse();
      assertThat(running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the attempt succeeded").isEmpty();
      assertThat(invocations.keptAtStop()).isZero();
      assertThat(file).doesNotExist();
      assertThat(calls.get()).isOne();
    }
  }

  @Test
  void stop_shouldDropTheWaitingEvent_whenThePlatformKeepsNoData() throws Exception {
    try (LocalFunction function = TestFunctions.local("t-shop-imports", failingFirst(1))) {
      AsyncInvocations invocations = stoppedAfterTheFirstAttempt(function, null);

      assertThat(invocations.keptAtStop()).isZero();
      assertThat(DataFiles.takeJsonLines(dir.resolve("async-events.jsonl"))).isEmpty();
      assertThat(calls.get()).as("no attempt after the stop").isOne();
    }
  }

  @Test
  void eventArrivingAfterTheStop_shouldBeRefused_andNeverReachTheFunction() throws Exception {
    Path file = dir.resolve("async-events.jsonl");
    try (LocalFunction function = TestFunctions.local("t-shop-imports", failingFirst(0))) {
      AsyncInvocations invocations = new AsyncInvocations(new LocalClock(1));
      invocations.keepWaitingIn(file, name -> Optional.empty());
      invocations.close();

      assertThat(stoppedWith(invokeInBackground(invocations, function))).isInstanceOf(InterruptedException.class);
      assertThat(calls.get()).isZero();
      assertThat(file).as("nothing was waiting at the stop").doesNotExist();
    }
  }

  @Test
  void eventsOfAFunctionWithReservedConcurrencyOne_shouldRunOneAtATime_theOthersThrottledInTheQueue() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch firstIn = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RequestHandler<Object, Void> held = holding(firstIn, release);
    RequestHandler<Object, Void> import_ = (event, context) -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        return held.handleRequest(event, context);
      } finally {
        running.decrementAndGet();
      }
    };
    AtomicInteger throttles = new AtomicInteger();
    try (LocalFunction function = TestFunctions.local("t-shop-imports", import_, 10)) {
      function.observe(new InvocationObserver() {
        @Override
        public void invoked(String name, Duration duration, boolean error) {}

        @Override
        public void throttled(String name) {
          throttles.incrementAndGet();
        }
      });
      AsyncInvocations invocations = new AsyncInvocations(new LocalClock(1));
      List<CompletableFuture<Optional<Exception>>> events = new java.util.ArrayList<>();
      events.add(invokeInBackground(invocations, function));
      assertThat(firstIn.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 4; i++) {
        events.add(invokeInBackground(invocations, function));
      }
      Eventually.await(TIMEOUT, () -> throttles.get() == 4, "the four later events throttled while the first runs");

      release.countDown();
      for (CompletableFuture<Optional<Exception>> event : events) {
        assertThat(event.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("handled").isEmpty();
      }
      invocations.close();

      assertThat(calls.get()).isEqualTo(5);
      assertThat(most.get()).as("events running at once, at reserved concurrency 1").isOne();
      assertThat(records).isEmpty();
    }
  }

  @Test
  void eventThrottledLongerThanTheMaximumEventAge_shouldGoToTheDestinationAsEventAgeExceeded_withoutAnAttempt() throws Exception {
    CountDownLatch firstIn = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (LocalFunction function = TestFunctions.local("t-shop-imports", holding(firstIn, release), 10)) {
      // An hour of the queue's clock passes in 0.1 s.
      AsyncInvocations invocations = new AsyncInvocations(new LocalClock(36_000));
      CompletableFuture<Optional<Exception>> first = invokeInBackground(invocations, function);
      assertThat(firstIn.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      CompletableFuture<Optional<Exception>> second = invokeInBackground(invocations, function);
      assertThat(second.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("given up on").isPresent();
      release.countDown();
      assertThat(first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
      invocations.close();

      assertThat(calls.get()).as("only the first event reached the handler").isOne();
      assertThat(records).hasSize(1);
      JsonNode record = EventJson.parse(records.get(0));
      assertThat(record.at("/requestContext/condition").asText()).isEqualTo("EventAgeExceeded");
      assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isZero();
      assertThat(record.at("/requestPayload")).isEqualTo(EVENT);
      assertThat(record.has("responsePayload")).as("no attempt, so no error").isFalse();
      assertThat(record.at("/responseContext").has("functionError")).isFalse();
    }
  }

  /**
   * Invokes {@code function}, whose first attempt fails, at clock speed 1 and stops during the minute
   * before the second; the invocation ends with the stop. {@code keepFile} null: the platform keeps no data.
   */
  private AsyncInvocations stoppedAfterTheFirstAttempt(LocalFunction function, Path keepFile) throws Exception {
    AsyncInvocations invocations = new AsyncInvocations(new LocalClock(1));
    if (keepFile != null) {
      invocations.keepWaitingIn(keepFile, name -> Optional.empty());
    }
    CompletableFuture<Optional<Exception>> running = invokeInBackground(invocations, function);
    Eventually.await(TIMEOUT, () -> calls.get() == 1, "the first attempt made");
    invocations.close();
    assertThat(stoppedWith(running)).as("the invocation ended by the stop").isInstanceOf(InterruptedException.class);
    return invocations;
  }

  /** A handler that counts its call, tells {@code entered}, and holds its execution until {@code release}. */
  private RequestHandler<Object, Void> holding(CountDownLatch entered, CountDownLatch release) {
    return (event, context) -> {
      calls.incrementAndGet();
      entered.countDown();
      try {
        release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    };
  }

  /** A handler whose first {@code failures} attempts fail, each with its number in the message. */
  private RequestHandler<Map<String, Object>, Void> failingFirst(int failures) {
    return (event, context) -> {
      int attempt = calls.incrementAndGet();
      if (attempt <= failures) {
        throw new IllegalStateException("attempt " + attempt + " failed (test)");
      }
      return null;
    };
  }

  private CompletableFuture<Optional<Exception>> invokeInBackground(AsyncInvocations invocations, LocalFunction function) {
    CompletableFuture<Optional<Exception>> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        result.complete(invocations.invoke(function, EVENT, "ObjectCreated incoming/a.csv", records::add));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static Throwable stoppedWith(CompletableFuture<?> running) throws Exception {
    try {
      running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
