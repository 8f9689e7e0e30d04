package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.joda.time.DateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventBridge Scheduler on the runtime's clock: each schedule fires its function at the times its
 * expression names, as read on a clock that may run many times faster than real time.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private final LocalClock clock;
  private final SpanLog spans;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> fired = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Runnable> pending = new java.util.ArrayList<>();
  private volatile boolean closed;

  public Scheduler(LocalClock clock, SpanLog spans) {
    this.clock = clock;
    this.spans = spans;
  }

  /** Adds a schedule; it fires from {@link #start()} on. */
  public synchronized void schedule(String scheduleName, ScheduleExpression expression, ZoneId zone, LocalFunction function) {
    AtomicLong count = fired.computeIfAbsent(scheduleName, k -> new AtomicLong());
    pending.add(() -> threads.add(Thread.ofVirtual().name("schedule-" + scheduleName).start(() -> {
      ZonedDateTime next = expression.next(clock.now().atZone(zone), zone);
      while (!closed && !Thread.currentThread().isInterrupted()) {
        try {
          clock.sleepUntil(next.toInstant());
        } catch (InterruptedException e) {
          return;
        }
        if (closed) {
          return;
        }
        fire(scheduleName, next.toInstant(), function);
        count.incrementAndGet();
        ZonedDateTime after = clock.now().atZone(zone).isAfter(next) ? clock.now().atZone(zone) : next;
        next = expression.next(after, zone);
      }
    })));
  }

  /**
   * Starts every schedule added so far. The platform starts it, and takes ownership of it, after the
   * functions it fires, so that closing in reverse order stops the schedules before their functions.
   */
  public synchronized Scheduler start() {
    pending.forEach(Runnable::run);
    pending.clear();
    return this;
  }

  /** How many times the schedule has fired so far. */
  public long firedCount(String scheduleName) {
    AtomicLong c = fired.get(scheduleName);
    return c == null ? 0 : c.get();
  }

  private void fire(String scheduleName, Instant scheduledTime, LocalFunction function) {
    String id = UUID.randomUUID().toString();
    String arn = "arn:aws:scheduler:us-east-1:000000000000:schedule/default/" + scheduleName;
    ScheduledEvent event = new ScheduledEvent()
        .withVersion("0").withId(id).withDetailType("Scheduled Event").withSource("aws.scheduler")
        .withAccount("000000000000").withRegion("us-east-1").withTime(new DateTime(scheduledTime.toEpochMilli()))
        .withResources(List.of(arn)).withDetail(Map.of());
    ObjectNode json = EventJson.mapper().createObjectNode();
    json.put("version", "0").put("id", id).put("detail-type", "Scheduled Event").put("source", "aws.scheduler")
        .put("account", "000000000000").put("time", scheduledTime.toString()).put("region", "us-east-1");
    json.putArray("resources").add(arn);
    json.putObject("detail");
    Instant start = Instant.now();
    EventRef ref = new EventRef(null, id, "Scheduled Event");
    try {
      function.invoke(event, json, null);
      spans.record("scheduler", "schedule fired " + scheduleName, ref, null, start, Instant.now(), Span.OK, "clock " + scheduledTime);
    } catch (InterruptedException e) {
      // Closing: the schedule stops with the platform, not after one more run.
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("schedule {} ({}): handler failed: {}", scheduleName, function.name(), e.toString());
      spans.record("scheduler", "schedule fired " + scheduleName, ref, null, start, Instant.now(), Span.ERROR, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
  }
}
