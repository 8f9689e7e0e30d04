package com.example.fanout.local.lambda;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.LocalClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's asynchronous invocation with its defaults, which the Terraform modules keep: a function
 * error is retried twice, one minute and then two minutes later, here on the local clock, and an
 * event that failed all three attempts goes to the on-failure destination as Lambda's invocation
 * record ({@code RetriesExhausted}, the event, the last error).
 *
 * <p>At most the function's reserved concurrency of its events run at once. An event that finds none
 * free is throttled and waits in the queue, as Lambda keeps a throttled event and retries it; one that
 * grows older than {@link #MAXIMUM_EVENT_AGE} there, throttled or between attempts, goes to the
 * on-failure destination as an {@code EventAgeExceeded} record.
 *
 * <p>Lambda's event queue is durable. Here it is kept across a stop when the platform keeps its data
 * ({@link #keepWaitingIn}): the stop lets an attempt being made finish (up to {@link
 * LocalFunction#TRIGGER_STOP_GRACE}), then writes every event still waiting for an attempt, and the
 * next start makes that attempt at once, counting on from it. An attempt still running after the
 * grace is made again: at least once, as on AWS.
 */
public final class AsyncInvocations implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncInvocations.class);
  /** Lambda's waits before the second and the third attempt. */
  static final List<Duration> RETRY_WAITS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2));
  private static final int ATTEMPTS = RETRY_WAITS.size() + 1;
  /** The oldest an event may grow in the queue: what the bucket and scheduled-job modules set ({@code async_retry}). */
  public static final Duration MAXIMUM_EVENT_AGE = Duration.ofHours(1);
  /** How often a throttled event looks again for a free execution, at most, and for the stop. */
  private static final Duration THROTTLED_RECHECK = Duration.ofMillis(50);

  private final LocalClock clock;
  private final Set<Queued> queued = ConcurrentHashMap.newKeySet();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final ExecutorService resumed = Executors.newVirtualThreadPerTaskExecutor();
  private final Object attemptEnded = new Object();
  private volatile Path keepFile;
  private volatile int keptAtStop;

  public AsyncInvocations(LocalClock clock) {
    this.clock = clock;
  }

  /** A function that receives asynchronous events, and where the record of one that failed every attempt goes. */
  public record Target(LocalFunction function, Consumer<String> onFailure) {}

  /** Retries Lambda makes after a failed attempt: what both modules set ({@code async_retry}). */
  public static int maximumRetryAttempts() {
    return RETRY_WAITS.size();
  }

  /**
   * Invokes {@code function} with {@code event} until an attempt succeeds. When all of them failed,
   * sends the invocation record to {@code onFailure} and answers the last attempt's error.
   *
   * @param what the event, as the log names it
   * @throws InterruptedException when the platform stops before the attempts end; the event stays
   *     in the queue, kept for the next start when there is a keep file
   */
  public Optional<Exception> invoke(LocalFunction function, JsonNode event, String what, Consumer<String> onFailure)
      throws InterruptedException {
    if (stopping.getCount() == 0) {
      LOG.warn("{}: {} arrived while the platform stops; Lambda's queue no longer takes it, so it is dropped", function.name(), what);
      throw new InterruptedException("the platform is stopping");
    }
    return attempts(new Queued(function.name(), event, what, 1, clock.now()), new Target(function, onFailure));
  }

  private Optional<Exception> attempts(Queued event, Target target) throws InterruptedException {
    queued.add(event);
    String payload = EventJson.write(event.event);
    Semaphore free = target.function().executions();
    Exception last = null;
    while (true) {
      if (!takeExecution(free, event, target.function())) {
        queued.remove(event);
        Duration age = Duration.between(event.acceptedAt, clock.now());
        LOG.warn("{}: {} is older than the maximum event age ({}) before attempt {}; its record goes to the on-failure destination",
            event.function, event.what, MAXIMUM_EVENT_AGE, event.attempt);
        target.onFailure().accept(InvocationRecord.eventAgeExceeded(FunctionArns.alias(event.function), event.event, event.attempt - 1, last));
        return Optional.of(new IllegalStateException("EventAgeExceeded: " + event.what + " waited " + age + " in the queue"));
      }
      event.running = true;
      boolean exhausted;
      try {
        target.function().invokeJson(payload, null);
        queued.remove(event);
        return Optional.empty();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
        LOG.warn("{}: {} failed (attempt {} of {}): {}", event.function, event.what, event.attempt, ATTEMPTS, e.toString());
        exhausted = event.attempt == ATTEMPTS;
        if (!exhausted) {
          // Before the event shows as idle: a stop that keeps it then keeps the attempt it now waits for.
          event.attempt++;
        }
      } finally {
        free.release();
        event.running = false;
        synchronized (attemptEnded) {
          attemptEnded.notifyAll();
        }
      }
      if (exhausted) {
        break;
      }
      if (stopping.await(clock.toReal(RETRY_WAITS.get(event.attempt - 2)).toNanos(), TimeUnit.NANOSECONDS)) {
        throw new InterruptedException("the platform stopped before attempt " + event.attempt + " of " + event.what);
      }
    }
    queued.remove(event);
    target.onFailure().accept(InvocationRecord.retriesExhausted(FunctionArns.alias(event.function), event.event, ATTEMPTS, last));
    return Optional.of(last);
  }

  /**
   * Takes one of the function's free executions for {@code event}'s next attempt, waiting while all
   * are taken (a throttle, reported once per wait). False when the event grows older than the
   * maximum event age first.
   *
   * @throws InterruptedException when the platform stops first
   */
  private boolean takeExecution(Semaphore free, Queued event, LocalFunction function) throws InterruptedException {
    boolean throttled = false;
    while (true) {
      if (stopping.getCount() == 0) {
        throw new InterruptedException("the platform stopped before attempt " + event.attempt + " of " + event.what);
      }
      Duration left = Duration.between(clock.now(), event.acceptedAt.plus(MAXIMUM_EVENT_AGE));
      if (left.isNegative() || left.isZero()) {
        return false;
      }
      if (free.tryAcquire()) {
        return true;
      }
      if (!throttled) {
        throttled = true;
        function.reportThrottle();
      }
      long wait = Math.max(1, Math.min(clock.toReal(left).toNanos(), THROTTLED_RECHECK.toNanos()));
      if (free.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
        return true;
      }
    }
  }

  /**
   * Keeps the events waiting for an attempt at the stop in {@code file}, and makes the next attempt
   * of each event the last stop kept there, in the background, now.
   *
   * @param targets the function each kept event names; an event whose function is gone is dropped with a warning
   * @return how many kept events were resumed
   */
  public int keepWaitingIn(Path file, Function<String, Optional<Target>> targets) {
    this.keepFile = file;
    int count = 0;
    for (JsonNode kept : DataFiles.takeJsonLines(file)) {
      String function = kept.path("function").asText();
      Optional<Target> target = targets.apply(function);
      if (target.isEmpty()) {
        LOG.warn("a kept asynchronous event names no function of this platform (removed since), dropped: {}", kept);
        continue;
      }
      int attempt = Math.clamp(kept.path("attempt").asInt(1), 1, ATTEMPTS);
      Instant acceptedAt = clock.acceptedAt(kept);
      Queued event = new Queued(function, kept.get("event"), kept.path("what").asText(function), attempt, acceptedAt);
      resumed.execute(() -> {
        try {
          attempts(event, target.get()).ifPresent(e -> LOG.warn("{}: {} did not complete; its record went to the on-failure destination: {}",
              event.function, event.what, e.toString()));
        } catch (InterruptedException e) {
          // Stopped again: the event is still queued, and the stop keeps it.
        }
      });
      count++;
    }
    return count;
  }

  /** How many events waiting for an attempt the stop kept in the keep file. */
  public int keptAtStop() {
    return keptAtStop;
  }

  /**
   * Stops every event's attempts: an attempt being made finishes within the grace, a wait for the
   * next attempt ends at once, and what is still queued is kept ({@link #keepWaitingIn}) or, without
   * a keep file, dropped with a warning, as the platform's other data is.
   */
  @Override
  public void close() throws InterruptedException {
    stopping.countDown();
    resumed.shutdown();
    long deadline = System.nanoTime() + LocalFunction.TRIGGER_STOP_GRACE.toNanos();
    synchronized (attemptEnded) {
      for (long left = deadline - System.nanoTime(); left > 0 && queued.stream().anyMatch(q -> q.running);
          left = deadline - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(attemptEnded, left);
      }
    }
    List<Queued> left = List.copyOf(queued);
    if (left.isEmpty()) {
      return;
    }
    Path file = keepFile;
    if (file == null) {
      LOG.warn("{} asynchronous events waiting for an attempt are dropped at the stop (the platform keeps no data): {}",
          left.size(), left.stream().map(q -> q.what).toList());
      return;
    }
    List<ObjectNode> lines = new ArrayList<>();
    for (Queued q : left) {
      ObjectNode line = EventJson.mapper().createObjectNode();
      line.put("function", q.function);
      line.put("attempt", q.attempt);
      line.put("what", q.what);
      clock.keepAcceptedAt(line, q.acceptedAt);
      line.set("event", q.event);
      lines.add(line);
    }
    try {
      DataFiles.replaceJsonLines(file, lines);
      keptAtStop = lines.size();
      LOG.info("kept {} asynchronous events waiting for an attempt in {}", lines.size(), file);
    } catch (IOException e) {
      LOG.error("could not keep {} asynchronous events waiting for an attempt in {}; they are lost: {}", lines.size(), file, e.toString());
    }
  }

  /** An event in a function's asynchronous queue, and the attempt it waits for or is making. */
  private static final class Queued {
    final String function;
    final JsonNode event;
    final String what;
    /** When Lambda accepted it, on the local clock: its age counts from here, and goes on across a restart. */
    final Instant acceptedAt;
    volatile int attempt;
    volatile boolean running;

    Queued(String function, JsonNode event, String what, int attempt, Instant acceptedAt) {
      this.function = function;
      this.event = event;
      this.what = what;
      this.attempt = attempt;
      this.acceptedAt = acceptedAt;
    }
  }
}
