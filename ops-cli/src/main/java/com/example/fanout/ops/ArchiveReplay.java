package com.example.fanout.ops;

import com.example.fanout.publish.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;

/**
 * An EventBridge archive replay started and followed: {@code StartReplay}, then {@code DescribeReplay}
 * until the replay leaves STARTING/RUNNING/CANCELLING or the wait runs out. EventBridge reports no count,
 * only the event time it has reached ({@code EventLastReplayedTime}), so progress is the share of the
 * window's seconds replayed.
 */
final class ArchiveReplay {
  static final Duration POLL = Duration.ofSeconds(2);
  private static final List<ReplayState> GOING = List.of(ReplayState.STARTING, ReplayState.RUNNING, ReplayState.CANCELLING);

  /** Where the replay ended: its name, last state, reason, and the event time it reached. */
  record Followed(String name, String state, String reason, Instant lastReplayed, boolean stillGoing) {}

  private final EventBridgeClient events;
  private final Sleeper sleeper;
  private final LongSupplier nanoTime;

  ArchiveReplay(EventBridgeClient events, Sleeper sleeper, LongSupplier nanoTime) {
    this.events = events;
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
  }

  /**
   * Starts the replay of {@code archive}'s events between {@code from} and {@code to} into {@code bus}
   * (only through {@code ruleArns} when given) and follows it for at most {@code wait}.
   */
  Followed run(String name, String archive, String bus, List<String> ruleArns, Instant from, Instant to, Duration wait,
      Progress progress) throws InterruptedException {
    String archiveArn = events.describeArchive(b -> b.archiveName(archive)).archiveArn();
    String busArn = events.describeEventBus(b -> b.name(bus)).arn();
    events.startReplay(b -> b.replayName(name).eventSourceArn(archiveArn).eventStartTime(from).eventEndTime(to)
        .destination(d -> d.arn(busArn).filterArns(ruleArns.isEmpty() ? null : ruleArns)));
    long deadline = nanoTime.getAsLong() + wait.toNanos();
    DescribeReplayResponse replay = events.describeReplay(b -> b.replayName(name));
    while (GOING.contains(replay.state()) && nanoTime.getAsLong() < deadline) {
      progress.update(secondsReached(replay, from, to));
      sleeper.sleep(POLL);
      replay = events.describeReplay(b -> b.replayName(name));
    }
    boolean going = GOING.contains(replay.state());
    if (!going) {
      progress.finish(replay.state() == ReplayState.COMPLETED ? windowSeconds(from, to) : secondsReached(replay, from, to));
    }
    return new Followed(name, replay.stateAsString(), replay.stateReason(), replay.eventLastReplayedTime(), going);
  }

  static long windowSeconds(Instant from, Instant to) {
    return Math.max(1, Duration.between(from, to).toSeconds());
  }

  private static long secondsReached(DescribeReplayResponse replay, Instant from, Instant to) {
    Instant last = replay.eventLastReplayedTime();
    if (last == null || last.isBefore(from)) {
      return 0;
    }
    return Math.min(windowSeconds(from, to), Duration.between(from, last).toSeconds());
  }
}
