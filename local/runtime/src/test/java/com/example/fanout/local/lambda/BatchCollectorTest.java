package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCollectorTest {
  /** A queue on a fake clock: each receive returns what arrived by then; sleeping advances the clock. */
  private static final class FakeQueue implements BatchCollector.Source<String>, BatchCollector.Ticker {
    long now;
    final Deque<long[]> arrivals = new ArrayDeque<>(); // {at nanos, count}
    final List<Integer> waits = new ArrayList<>();
    int next;

    FakeQueue arrive(Duration at, int count) {
      arrivals.add(new long[] {at.toNanos(), count});
      return this;
    }

    @Override
    public List<String> receive(int max, int waitSeconds) {
      waits.add(waitSeconds);
      if (waitSeconds > 0 && (arrivals.isEmpty() || arrivals.peek()[0] > now)) {
        if (arrivals.isEmpty() || arrivals.peek()[0] > now + Duration.ofSeconds(waitSeconds).toNanos()) {
          now += Duration.ofSeconds(waitSeconds).toNanos();
          return List.of();
        }
        now = arrivals.peek()[0];
      }
      List<String> out = new ArrayList<>();
      while (!arrivals.isEmpty() && arrivals.peek()[0] <= now && out.size() < max) {
        long[] a = arrivals.peek();
        out.add("m" + next++);
        if (--a[1] == 0) {
          arrivals.poll();
        }
      }
      return out;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(Duration d) {
      now += d.toNanos();
    }
  }

  @Test
  void collect_shouldEndAtTheConfiguredWindow_whenTheBatchDoesNotFill() throws InterruptedException {
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 1).arrive(Duration.ofMillis(300), 2).arrive(Duration.ofMillis(1500), 4);
    List<String> batch = new BatchCollector<>(10, 10, Duration.ofSeconds(1), q, q).collect(() -> true);

    assertThat(batch).hasSize(3);
    assertThat(q.now).isBetween(Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(1).plus(BatchCollector.POLL_INTERVAL).toNanos());
    assertThat(q.waits.subList(1, q.waits.size())).as("no whole-second long poll inside the window").containsOnly(0);
  }

  @Test
  void collect_shouldReturnAtOnce_whenTheBatchFillsBeforeTheWindowEnds() throws InterruptedException {
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 4).arrive(Duration.ofMillis(200), 8);
    List<String> batch = new BatchCollector<>(10, 10, Duration.ofSeconds(5), q, q).collect(() -> true);

    assertThat(batch).hasSize(10);
    assertThat(q.now).isLessThanOrEqualTo(Duration.ofMillis(200).plus(BatchCollector.POLL_INTERVAL).toNanos());
  }

  @Test
  void collect_shouldTakeWhatArrivedBetweenTheLastTwoPolls_withTheLastPollJustBeforeTheWindowCloses() throws InterruptedException {
    Duration window = Duration.ofSeconds(1);
    Duration lastPoll = window.minus(BatchCollector.LAST_POLL_LEAD);
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 1).arrive(lastPoll.minusMillis(1), 1).arrive(lastPoll.plusMillis(1), 1);
    List<String> batch = new BatchCollector<>(10, 10, window, q, q).collect(() -> true);

    assertThat(batch).as("the record of the last moment goes with the next batch").hasSize(2);
    assertThat(q.now).as("the batch goes as the window closes").isEqualTo(window.toNanos());
  }

  @Test
  void collect_shouldPollOncePerIntervalAndOnceBeforeTheWindowCloses_whenNothingMoreArrives() throws InterruptedException {
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 1);
    new BatchCollector<>(10, 10, Duration.ofSeconds(1), q, q).collect(() -> true);

    long pollsInside = Duration.ofSeconds(1).toNanos() / BatchCollector.POLL_INTERVAL.toNanos();
    assertThat(q.waits).as("the long poll, one short poll per interval, one just before the window closes")
        .hasSize((int) (1 + pollsInside + 1));
  }

  @Test
  void collect_shouldNoticeAFullBatchWithinTheFillingInterval_onceTheBatchIsHalfFull() throws InterruptedException {
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 5).arrive(Duration.ofMillis(503), 5).arrive(Duration.ofMillis(503), 1);
    List<String> batch = new BatchCollector<>(10, 10, Duration.ofSeconds(2), q, q).collect(() -> true);

    assertThat(batch).hasSize(10);
    assertThat(q.now).as("the record behind a full batch waits at most one filling interval for the next")
        .isLessThanOrEqualTo(Duration.ofMillis(503).plus(BatchCollector.FILLING_POLL_INTERVAL).toNanos());
  }

  @Test
  void collect_shouldReceiveAgainAtOnce_whenAReceiveReturnedRecords() throws InterruptedException {
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 10);
    List<String> batch = new BatchCollector<>(10, 3, Duration.ofSeconds(5), q, q).collect(() -> true);

    assertThat(batch).hasSize(10);
    assertThat(q.now).isZero();
  }

  @Test
  void collect_shouldTakeOneReceiveOnly_whenTheWindowIsZero() throws InterruptedException {
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 3).arrive(Duration.ofMillis(1), 3);
    List<String> batch = new BatchCollector<>(10, 10, Duration.ZERO, q, q).collect(() -> true);

    assertThat(batch).hasSize(3);
    assertThat(q.waits).containsExactly(1);
  }

  @Test
  void collect_shouldHonourAWindowShortenedByTheClockSpeed_whenItIsUnderOnePollInterval() throws InterruptedException {
    FakeQueue q = new FakeQueue().arrive(Duration.ZERO, 1);
    Duration window = new com.example.fanout.local.LocalClock(200).toReal(Duration.ofSeconds(1)); // 5 ms
    List<String> batch = new BatchCollector<>(10, 10, window, q, q).collect(() -> true);

    assertThat(batch).hasSize(1);
    assertThat(q.now).isEqualTo(window.toNanos());
  }

  @Test
  void collect_shouldReturnNothing_whenNoFirstRecordArrivesWithinTheLongPoll() throws InterruptedException {
    FakeQueue q = new FakeQueue();
    assertThat(new BatchCollector<>(10, 10, Duration.ofSeconds(1), q, q).collect(() -> true)).isEmpty();
    assertThat(q.waits).containsExactly(1);
  }
}
