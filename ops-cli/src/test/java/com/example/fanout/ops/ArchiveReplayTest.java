package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeArchiveRequest;
import software.amazon.awssdk.services.eventbridge.model.DescribeArchiveResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusRequest;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayRequest;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.StartReplayRequest;
import software.amazon.awssdk.services.eventbridge.model.StartReplayResponse;

/** The AWS side of {@code fanout replay}: StartReplay, then DescribeReplay followed with progress on a driven clock. */
class ArchiveReplayTest {
  private static final Instant FROM = Instant.parse("2026-11-26T14:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-26T15:00:00Z");

  private final AtomicLong now = new AtomicLong();
  private final List<StartReplayRequest> started = new ArrayList<>();
  private final Deque<DescribeReplayResponse> states = new ArrayDeque<>();
  private final StringWriter text = new StringWriter();

  private final EventBridgeClient events = new EventBridgeClient() {
    @Override
    public DescribeArchiveResponse describeArchive(DescribeArchiveRequest r) {
      return DescribeArchiveResponse.builder().archiveArn("arn:aws:events:us-east-1:1:archive/" + r.archiveName()).build();
    }

    @Override
    public DescribeEventBusResponse describeEventBus(DescribeEventBusRequest r) {
      return DescribeEventBusResponse.builder().arn("arn:aws:events:us-east-1:1:event-bus/" + r.name()).build();
    }

    @Override
    public StartReplayResponse startReplay(StartReplayRequest r) {
      started.add(r);
      return StartReplayResponse.builder().state(ReplayState.STARTING).build();
    }

    @Override
    public DescribeReplayResponse describeReplay(DescribeReplayRequest r) {
      return states.size() > 1 ? states.poll() : states.peek();
    }

    @Override
    public String serviceName() {
      return "events";
    }

    @Override
    public void close() {}
  };

  private ArchiveReplay.Followed run(Duration wait) throws InterruptedException {
    Progress progress = new Progress(new PrintWriter(text, true), "window seconds replayed",
        ArchiveReplay.windowSeconds(FROM, TO), false, now::get);
    return new ArchiveReplay(events, d -> now.addAndGet(d.toNanos()), now::get)
        .run("prod-all-1", "prod-fanout-archive", "prod-fanout", List.of("arn:rule"), FROM, TO, wait, progress);
  }

  private static DescribeReplayResponse state(ReplayState state, Consumer<DescribeReplayResponse.Builder> more) {
    DescribeReplayResponse.Builder b = DescribeReplayResponse.builder().state(state);
    more.accept(b);
    return b.build();
  }

  @Test
  void run_shouldStartTheReplayAndFollowItToTheEnd_withProgressOverTheWindow_whenItCompletes() throws Exception {
    states.add(state(ReplayState.STARTING, b -> {}));
    states.add(state(ReplayState.RUNNING, b -> b.eventLastReplayedTime(FROM.plusSeconds(900))));
    states.add(state(ReplayState.RUNNING, b -> b.eventLastReplayedTime(FROM.plusSeconds(1800))));
    states.add(state(ReplayState.COMPLETED, b -> b.eventLastReplayedTime(TO)));

    ArchiveReplay.Followed followed = run(Duration.ofMinutes(10));

    assertThat(started).singleElement().satisfies(r -> {
      assertThat(r.eventSourceArn()).isEqualTo("arn:aws:events:us-east-1:1:archive/prod-fanout-archive");
      assertThat(r.destination().arn()).isEqualTo("arn:aws:events:us-east-1:1:event-bus/prod-fanout");
      assertThat(r.destination().filterArns()).containsExactly("arn:rule");
      assertThat(r.eventStartTime()).isEqualTo(FROM);
      assertThat(r.eventEndTime()).isEqualTo(TO);
    });
    assertThat(followed.state()).isEqualTo("COMPLETED");
    assertThat(followed.stillGoing()).isFalse();
    assertThat(followed.lastReplayed()).isEqualTo(TO);
    // Polls every 2 s of the driven clock; a plain line at most every 5 s, and one at the end.
    assertThat(text.toString().lines()).containsExactly(
        "window seconds replayed 0/3600  0.0/s  ETA -",
        "window seconds replayed 3600/3600  600.0/s  done in 6.0 s");
  }

  @Test
  void run_shouldReturnTheReplayStillRunning_whenTheWaitRunsOut() throws Exception {
    states.add(state(ReplayState.RUNNING, b -> b.eventLastReplayedTime(FROM.plusSeconds(60))));

    ArchiveReplay.Followed followed = run(Duration.ofSeconds(11));

    assertThat(followed.stillGoing()).isTrue();
    assertThat(followed.state()).isEqualTo("RUNNING");
    assertThat(now.get()).isEqualTo(Duration.ofSeconds(12).toNanos());
    // Followed until the wait ran out (polls at 0, 2, ... 10 s), a line while the replay moved, no final line.
    assertThat(text.toString().lines()).singleElement().asString().startsWith("window seconds replayed 60/3600 ");
  }

  @Test
  void run_shouldReportTheReason_whenTheReplayFails() throws Exception {
    states.add(state(ReplayState.FAILED, b -> b.stateReason("archive deleted").eventLastReplayedTime(FROM.plusSeconds(120))));

    ArchiveReplay.Followed followed = run(Duration.ofMinutes(1));

    assertThat(followed.stillGoing()).isFalse();
    assertThat(followed.state()).isEqualTo("FAILED");
    assertThat(followed.reason()).isEqualTo("archive deleted");
    assertThat(text.toString()).contains("120/3600");
  }
}
