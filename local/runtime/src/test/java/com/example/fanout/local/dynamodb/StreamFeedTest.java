package com.example.fanout.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.lambda.FunctionTimeoutException;
import com.example.fanout.local.observability.SpanLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamFeedTest {
  /** Long enough that every record offered lands in one batch, which returns as soon as it is full. */
  private static final Duration FILL_WINDOW = Duration.ofSeconds(5);

  @TempDir
  Path dir;
  private final List<StreamFeed> feeds = new ArrayList<>();
  private SpanLog spans;
  private long sequence = 1000;

  @AfterEach
  void close() {
    feeds.forEach(StreamFeed::close);
    if (spans != null) {
      spans.close();
    }
  }

  private StreamFeed feed(int batchSize, int parallelization, Duration window, List<JsonNode> filter, StreamFeed.Invoker invoker) {
    spans = spans == null ? new SpanLog(dir) : spans;
    StreamFeed feed = new StreamFeed("t-feed", batchSize, window, parallelization, StreamFilter.of(filter), "t-fn", invoker, spans);
    feeds.add(feed);
    return feed;
  }

  private void offer(StreamFeed feed, String eventName, String pk) {
    DynamodbEvent.DynamodbStreamRecord r = new DynamodbEvent.DynamodbStreamRecord();
    StreamRecord sr = new StreamRecord();
    sr.setSequenceNumber(Long.toString(sequence++));
    r.setDynamodb(sr);
    r.setEventName(eventName);
    r.setEventID(pk + "/" + sr.getSequenceNumber());
    ObjectNode form = EventJson.mapper().createObjectNode();
    form.put("eventName", eventName);
    form.putObject("dynamodb").putObject("Keys").putObject("pk").put("S", pk);
    feed.offer(r, form);
  }

  private static List<String> ids(DynamodbEvent event) {
    return event.getRecords().stream().map(DynamodbEvent.DynamodbStreamRecord::getEventID).toList();
  }

  @Test
  void offer_shouldNeverInvokeTheFunction_whenNoFilterPatternMatchesTheRecord() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    StreamFeed feed = feed(10, 1, Duration.ZERO, List.of(EventJson.parse("{\"eventName\":[\"INSERT\"]}")), e -> {
      seen.addAll(ids(e));
      return null;
    });

    offer(feed, "MODIFY", "a");
    offer(feed, "INSERT", "b");
    offer(feed, "REMOVE", "c");

    Eventually.await(Duration.ofSeconds(5), () -> feed.delivered() == 1);
    assertThat(seen).containsExactly("b/1001");
    assertThat(feed.filtered()).isEqualTo(2);
  }

  @Test
  void lanes_shouldRunKeysInParallelAndKeepTheOrderPerKey_whenTheParallelizationFactorIsAboveOne() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    StreamFeed feed = feed(1, 10, Duration.ZERO, List.of(), e -> {
      seen.addAll(ids(e));
      bothRunning.countDown();
      bothRunning.await(5, TimeUnit.SECONDS);
      return null;
    });
    String a = "k0";
    String b = IntStream.range(1, 100).mapToObj(i -> "k" + i).filter(k -> laneOf(k, 10) != laneOf(a, 10)).findFirst().orElseThrow();

    offer(feed, "INSERT", a);
    offer(feed, "INSERT", b);
    offer(feed, "MODIFY", a);
    offer(feed, "MODIFY", b);

    assertThat(bothRunning.await(5, TimeUnit.SECONDS)).as("two batches in flight at once").isTrue();
    Eventually.await(Duration.ofSeconds(5), () -> feed.delivered() == 4);
    assertThat(seen.stream().filter(id -> id.startsWith(a + "/")).toList()).containsExactly(a + "/1000", a + "/1002");
    assertThat(seen.stream().filter(id -> id.startsWith(b + "/")).toList()).containsExactly(b + "/1001", b + "/1003");
  }

  private static int laneOf(String pk, int lanes) {
    ObjectNode keys = EventJson.mapper().createObjectNode();
    keys.putObject("pk").put("S", pk);
    return Math.floorMod(keys.toString().hashCode(), lanes);
  }

  @Test
  void bisect_shouldRetryOnlyTheHalfHoldingTheFailure_whenTheInvocationFailsAsAWhole() {
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    List<List<String>> invocations = Collections.synchronizedList(new ArrayList<>());
    StreamFeed feed = feed(8, 1, FILL_WINDOW, List.of(), e -> {
      invocations.add(ids(e));
      // The record of key p6 times the function out once, whatever batch it is in.
      if (ids(e).stream().anyMatch(id -> id.startsWith("p6/")) && failedOnce.add("p6")) {
        throw new FunctionTimeoutException("t-fn", 30);
      }
      return new StreamsEventResponse(List.of());
    });
    for (int i = 0; i < 8; i++) {
      offer(feed, "INSERT", "p" + i);
    }

    Eventually.await(Duration.ofSeconds(10), () -> feed.delivered() == 8);
    assertThat(invocations).extracting(List::size).containsExactly(8, 4, 4);
    assertThat(invocations.get(1)).as("the first half goes first").startsWith("p0/1000");
    assertThat(feed.bisections()).isEqualTo(1);
    assertThat(feed.dropped()).isZero();
  }

  @Test
  void partialFailure_shouldRetryFromTheFirstFailedRecordOnly_whenTheResponseNamesIt() {
    List<List<String>> invocations = Collections.synchronizedList(new ArrayList<>());
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    StreamFeed feed = feed(5, 1, FILL_WINDOW, List.of(), e -> {
      invocations.add(ids(e));
      var third = e.getRecords().size() >= 3 ? e.getRecords().get(2) : null;
      if (third != null && failedOnce.add(third.getEventID())) {
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(third.getDynamodb().getSequenceNumber())));
      }
      return new StreamsEventResponse(List.of());
    });
    for (int i = 0; i < 5; i++) {
      offer(feed, "INSERT", "q" + i);
    }

    Eventually.await(Duration.ofSeconds(10), () -> feed.delivered() == 5);
    assertThat(invocations.get(0)).hasSize(5);
    assertThat(invocations.get(1)).containsExactly("q2/1002", "q3/1003", "q4/1004");
    assertThat(feed.bisections()).isZero();
  }

  @Test
  void drop_shouldMoveOnAndDescribeTheRecordsToTheOnFailureDestination_whenARecordFailsEveryAttempt() {
    StreamFeed feed = feed(1, 1, Duration.ZERO, List.of(), e -> {
      if (ids(e).getFirst().startsWith("bad/")) {
        throw new IllegalStateException("always fails");
      }
      return null;
    });
    List<String> destination = Collections.synchronizedList(new ArrayList<>());
    feed.readingShard("arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/label", "shardId-1");
    feed.sendFailuresTo("arn:aws:lambda:us-east-1:000000000000:function:t-fn:live", destination::add);

    offer(feed, "INSERT", "bad");
    offer(feed, "INSERT", "good");

    Eventually.await(Duration.ofSeconds(15), () -> feed.delivered() == 1 && feed.dropped() == 1);
    assertThat(feed.invocations()).isEqualTo(StreamFeed.MAX_ATTEMPTS + 1);
    assertThat(destination).hasSize(1);
    JsonNode record = EventJson.parse(destination.getFirst());
    assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
    assertThat(record.path("requestContext").path("functionArn").asText()).endsWith(":function:t-fn:live");
    assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(StreamFeed.MAX_ATTEMPTS);
    assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
    JsonNode info = record.path("DDBStreamBatchInfo");
    assertThat(info.path("startSequenceNumber").asText()).isEqualTo("1000");
    assertThat(info.path("endSequenceNumber").asText()).isEqualTo("1000");
    assertThat(info.path("batchSize").asInt()).isEqualTo(1);
    assertThat(info.path("shardId").asText()).isEqualTo("shardId-1");
    assertThat(info.path("streamArn").asText()).endsWith(":table/t/stream/label");
  }

  @Test
  void injectedTimeoutAfterTheHandler_shouldFailTheInvocationThoughTheHandlerRan_andBisectLikeAFunctionError() {
    List<List<String>> handled = Collections.synchronizedList(new ArrayList<>());
    StreamFeed feed = feed(4, 1, FILL_WINDOW, List.of(), e -> {
      handled.add(ids(e));
      return null;
    });
    java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
    feed.injectTimeouts(point -> point == StreamFeed.TimeoutPoint.AFTER_HANDLER && first.getAndSet(false), 30);
    for (int i = 0; i < 4; i++) {
      offer(feed, "INSERT", "t" + i);
    }

    Eventually.await(Duration.ofSeconds(10), () -> feed.delivered() == 4);
    assertThat(handled.getFirst()).hasSize(4);
    assertThat(handled.subList(1, handled.size())).containsExactly(List.of("t0/1000", "t1/1001"), List.of("t2/1002", "t3/1003"));
    assertThat(feed.bisections()).isEqualTo(1);
    assertThat(feed.dropped()).isZero();
  }

  @Test
  void injectedTimeoutBeforeTheHandler_shouldKeepTheHandlerFromRunning_untilTheFaultEnds() {
    List<String> handled = Collections.synchronizedList(new ArrayList<>());
    StreamFeed feed = feed(1, 1, Duration.ZERO, List.of(), e -> {
      handled.addAll(ids(e));
      return null;
    });
    java.util.concurrent.atomic.AtomicInteger timeouts = new java.util.concurrent.atomic.AtomicInteger(2);
    feed.injectTimeouts(point -> point == StreamFeed.TimeoutPoint.BEFORE_HANDLER && timeouts.getAndDecrement() > 0, 30);

    offer(feed, "INSERT", "slow");

    Eventually.await(Duration.ofSeconds(10), () -> feed.delivered() == 1);
    assertThat(handled).containsExactly("slow/1000");
    assertThat(feed.invocations()).isEqualTo(3);
  }

  @Test
  void close_shouldLetTheBatchBeingHandledFinishAndCheckpointIt_andLeaveTheNextForTheRestart() throws Exception {
    StreamStore store = StreamStore.in(dir.resolve("streams"));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> finished = Collections.synchronizedList(new ArrayList<>());
    StreamFeed feed = feed(1, 1, Duration.ZERO, List.of(), e -> {
      started.countDown();
      release.await();
      finished.addAll(ids(e));
      return null;
    });
    feed.resumeFrom(store);
    offer(feed, "INSERT", "held");
    offer(feed, "INSERT", "next");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    Thread closer = Thread.ofPlatform().start(feed::close);
    Eventually.await(Duration.ofSeconds(5), () -> closer.getState() == Thread.State.TIMED_WAITING || !closer.isAlive(),
        "close waiting for the batch being handled");
    release.countDown();
    closer.join(Duration.ofSeconds(10));

    assertThat(closer.isAlive()).isFalse();
    assertThat(finished).containsExactly("held/1000");
    assertThat(feed.invocations()).isEqualTo(1);
    assertThat(store.checkpoints("t-feed", 1)).containsExactly(1000L);

    sequence = 1000;
    List<String> afterRestart = Collections.synchronizedList(new ArrayList<>());
    StreamFeed restarted = feed(1, 1, Duration.ZERO, List.of(), e -> {
      afterRestart.addAll(ids(e));
      return null;
    });
    restarted.resumeFrom(store);
    offer(restarted, "INSERT", "held");
    offer(restarted, "INSERT", "next");
    Eventually.await(Duration.ofSeconds(10), () -> restarted.delivered() == 1);
    assertThat(afterRestart).containsExactly("next/1001");
  }

  @Test
  void close_shouldEndTheRetriesOfAFailingBatch_andLeaveItUncheckpointedForTheRestart() {
    StreamStore store = StreamStore.in(dir.resolve("streams"));
    StreamFeed feed = feed(1, 1, Duration.ZERO, List.of(), e -> {
      throw new IllegalStateException("fails until the restart");
    });
    List<String> destination = Collections.synchronizedList(new ArrayList<>());
    feed.sendFailuresTo("arn:aws:lambda:us-east-1:000000000000:function:t-fn:live", destination::add);
    feed.resumeFrom(store);
    offer(feed, "INSERT", "failing");
    Eventually.await(Duration.ofSeconds(10), () -> feed.invocations() >= 1);

    feed.close();

    assertThat(feed.invocations()).isLessThan(StreamFeed.MAX_ATTEMPTS);
    assertThat(feed.dropped()).isZero();
    assertThat(destination).isEmpty();
    assertThat(store.checkpoints("t-feed", 1)).containsExactly(0L);
  }

  @Test
  void of_shouldNameThePattern_whenEventRulerRejectsIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamFilter.of(List.of(EventJson.parse("{\"eventName\":\"INSERT\"}"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventName");
  }
}
