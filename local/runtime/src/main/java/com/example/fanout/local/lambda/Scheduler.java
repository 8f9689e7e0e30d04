package com.example.fanout.local.lambda;

import com.example.fanout.contract.ScheduleInput;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.AwsClients;
import com.example.fanout.local.LocalClock;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.manifest.ScheduleExpression;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventBridge Scheduler on the runtime's clock: each schedule fires its function at the times its
 * expression names, as read on a clock that may run many times faster than real time, with the input
 * Terraform gives the schedule's target ({@link ScheduleInput}) filled in as the scheduler fills it,
 * Lambda's retries of an asynchronous invocation ({@link AsyncInvocations}), and the record of a run
 * that failed every attempt to the schedule's DLQ, as the scheduled-job module's event invoke config
 * sends it.
 *
 * <p>Each run first asks whether the schedule's role may invoke the function's alias, as the
 * scheduler does when it assumes that role. A run it may not invoke is not retried (a permission
 * error is not) and goes to the schedule's DLQ as EventBridge Scheduler writes it there: the input
 * as the target would have received it, with the run's attributes ({@code ERROR_CODE}, {@code
 * ERROR_MESSAGE}, {@code EXECUTION_ID}, {@code SCHEDULE_ARN}, ...), if the role may write the DLQ.
 * A run it can neither deliver nor park is lost, and counted for the schedule's group as the
 * scheduler counts it ({@code InvocationsFailedToBeSentToDeadLetterCount}).
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private final LocalClock clock;
  private final AsyncInvocations invocations;
  private final SpanLog spans;
  private final RolePermission permission;
  private final Consumer<String> deadLetterFailed;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Map<String, AtomicLong> fired = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Runnable> pending = new java.util.ArrayList<>();
  private volatile boolean closed;

  /**
   * @param permission whether a schedule's role may make a call (the local IAM of the planned roles)
   * @param deadLetterFailed told the schedule group of each run that could be neither delivered nor parked
   */
  public Scheduler(LocalClock clock, AsyncInvocations invocations, SpanLog spans, RolePermission permission,
      Consumer<String> deadLetterFailed) {
    this.clock = clock;
    this.invocations = invocations;
    this.spans = spans;
    this.permission = permission;
    this.deadLetterFailed = deadLetterFailed;
  }

  /** Whether the role EventBridge Scheduler assumes for a schedule may call {@code action} on {@code resource}. */
  @FunctionalInterface
  public interface RolePermission {
    /** IAM's AccessDenied message when the role may not; empty when it may. */
    Optional<String> denied(String schedule, String action, String resource);

    RolePermission ALLOW_ALL = (schedule, action, resource) -> Optional.empty();
  }

  /** A schedule's DLQ: its ARN, and how a message with attributes is sent to it (whether it was). */
  public record DeadLetterQueue(String arn, BiPredicate<String, Map<String, String>> send) {}

  /**
   * Adds a schedule; it fires from {@link #start()} on.
   *
   * @param group the schedule's group, which its ARN and the scheduler's metrics name
   * @param onFailure where Lambda sends the record of a run that failed every attempt (the schedule's DLQ)
   * @param dlq where the scheduler itself parks a run it could not deliver (the same DLQ)
   */
  public synchronized void schedule(String group, String scheduleName, ScheduleExpression expression, ZoneId zone, LocalFunction function,
      Consumer<String> onFailure, DeadLetterQueue dlq) {
    AtomicLong count = fired.computeIfAbsent(scheduleName, k -> new AtomicLong());
    pending.add(() -> Thread.ofVirtual().name("schedule-" + scheduleName).start(() -> {
      ZonedDateTime next = expression.next(clock.now().atZone(zone), zone);
      while (!closed) {
        try {
          if (!clock.awaitUntil(next.toInstant(), stopping)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
        fire(group, scheduleName, next.toInstant(), function, onFailure, dlq);
        count.incrementAndGet();
        ZonedDateTime after = clock.now().atZone(zone).isAfter(next) ? clock.now().atZone(zone) : next;
        next = expression.next(after, zone);
      }
    }));
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

  private void fire(String group, String scheduleName, Instant scheduledTime, LocalFunction function, Consumer<String> onFailure,
      DeadLetterQueue dlq) {
    String id = UUID.randomUUID().toString();
    String arn = ScheduleInput.scheduleArn(AwsClients.REGION.id(), AwsClients.ACCOUNT, group, scheduleName);
    String rendered = ScheduleInput.render(arn, scheduledTime, id);
    Instant start = Instant.now();
    EventRef ref = new EventRef(null, id, "Scheduled Event");
    String target = FunctionArns.alias(function.name());
    Optional<String> denied = permission.denied(scheduleName, "lambda:InvokeFunction", target);
    if (denied.isPresent()) {
      park(group, scheduleName, id, scheduledTime, arn, target, rendered, denied.get(), dlq);
      spans.record("scheduler", "schedule fired " + scheduleName, ref, null, start, Instant.now(), Span.ERROR, "AccessDeniedException");
      return;
    }
    JsonNode input = EventJson.parse(rendered);
    try {
      Optional<Exception> failure = invocations.invoke(function, input, "run " + id + " of schedule " + scheduleName, onFailure);
      if (failure.isPresent()) {
        LOG.warn("schedule {} ({}): run {} did not complete; Lambda's record of it went to the schedule's DLQ: {}", scheduleName,
            function.name(), id, failure.get().toString());
      }
      spans.record("scheduler", "schedule fired " + scheduleName, ref, null, start, Instant.now(),
          failure.isPresent() ? Span.ERROR : Span.OK, failure.map(Exception::toString).orElse("clock " + scheduledTime));
    } catch (InterruptedException e) {
      // Closing: the schedule stops with the platform, not after one more run. A run not done stays
      // in Lambda's asynchronous queue, which the platform's stop keeps or drops.
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Parks a run the schedule's role may not invoke in the schedule's DLQ, as EventBridge Scheduler
   * does: not retried, the input as the target would have received it, and the run's attributes.
   * Lost, logged and counted for the group when the role may not write the DLQ either, or the
   * DLQ refuses it (deleted, its key or policy).
   */
  private void park(String group, String scheduleName, String id, Instant scheduledTime, String scheduleArn, String target, String input,
      String denial, DeadLetterQueue dlq) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("ERROR_CODE", "AccessDeniedException");
    attributes.put("ERROR_MESSAGE", denial);
    attributes.put("EXECUTION_ID", id);
    attributes.put("IS_PAYLOAD_TRUNCATED", "false");
    attributes.put("RETRY_ATTEMPTS", "0");
    attributes.put("SCHEDULED_TIME", ScheduleInput.scheduledTime(scheduledTime));
    attributes.put("SCHEDULE_ARN", scheduleArn);
    attributes.put("TARGET_ARN", target);
    Optional<String> cannotPark = permission.denied(scheduleName, "sqs:SendMessage", dlq.arn());
    if (cannotPark.isEmpty() && dlq.send().test(input, attributes)) {
      LOG.warn("schedule {}: run {} not delivered, parked in the schedule's DLQ: {}", scheduleName, id, denial);
      return;
    }
    deadLetterFailed.accept(group);
    LOG.error("schedule {}: run {} not delivered, and lost: {} ({})", scheduleName, id,
        cannotPark.map(d -> "the role may not write the DLQ either, " + d).orElse("the DLQ refused it"), denial);
  }

  /**
   * Stops firing: each schedule's wait for its next run ends at once. A run being made is not
   * interrupted; Lambda's asynchronous queue, which stops next, lets its attempt finish.
   */
  @Override
  public void close() {
    closed = true;
    stopping.countDown();
  }
}
