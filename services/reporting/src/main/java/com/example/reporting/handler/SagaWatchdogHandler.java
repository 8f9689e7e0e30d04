package com.example.reporting.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.publish.FailedEntry;
import com.example.fanout.publish.PublishResult;
import com.example.fanout.runtime.FunctionRuntime;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.reporting.domain.LedgerEntry;
import com.example.reporting.domain.LedgerStore;
import com.example.reporting.domain.SagaWatchdog;
import com.example.reporting.domain.StuckMetrics;
import com.example.reporting.domain.StuckOrder;
import com.example.reporting.dynamodb.DynamoDbLedgerStore;
import com.example.reporting.metrics.PowertoolsStuckMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedule {@code saga-watchdog} (every 5 minutes): emits SagaStuck once per (order, last event) for
 * orders with no progress for {@code STUCK_AFTER_MINUTES} that are not at an end of the saga (see
 * {@link SagaWatchdog}), and the {@code SagaStuck} metric.
 *
 * <p>The event id is {@code EventIds.derived(lastEventId, "SagaStuck", orderId)}; the order is marked
 * reported after the publish succeeded. A crash in between re-emits the same id on the next run,
 * which consumers' idempotency absorbs; a failed publish is retried on the next run.
 */
public final class SagaWatchdogHandler implements RequestHandler<ScheduledEvent, Void> {
  static final String SOURCE = "com.example.reporting";
  private static final Logger LOG = LoggerFactory.getLogger(SagaWatchdogHandler.class);

  private final FunctionRuntime runtime;
  private final LedgerStore ledger;
  private final EventPublisher publisher;
  private final SagaWatchdog watchdog;
  private final StuckMetrics metrics;

  public SagaWatchdogHandler() {
    this(FunctionRuntime.fromEnvironment());
  }

  private SagaWatchdogHandler(FunctionRuntime runtime) {
    this(runtime, new DynamoDbLedgerStore(runtime.clients().dynamoDb(), FunctionEnvironment.table("ledger")),
        runtime.publisher(),
        Clock.systemUTC(),
        stuckAfter(FunctionEnvironment.get("STUCK_AFTER_MINUTES").orElse("15")),
        PowertoolsStuckMetrics.fromEnvironment());
  }

  public SagaWatchdogHandler(LedgerStore ledger, EventPublisher publisher, Clock clock, Duration stuckAfter, StuckMetrics metrics) {
    this(FunctionRuntime.fromEnvironment(), ledger, publisher, clock, stuckAfter, metrics);
  }

  private SagaWatchdogHandler(FunctionRuntime runtime, LedgerStore ledger, EventPublisher publisher, Clock clock,
      Duration stuckAfter, StuckMetrics metrics) {
    this.runtime = runtime;
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.watchdog = new SagaWatchdog(clock, stuckAfter);
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public Void handleRequest(ScheduledEvent event, Context context) {
    return runtime.invoke(context, "schedule", event == null ? null : event.getId(), this::watch);
  }

  private Void watch() {
    List<LedgerEntry> entries;
    try (var scan = ledger.scan()) {
      entries = scan.toList();
    }
    Duration lag = SagaWatchdog.ledgerLag(entries);
    List<StuckOrder> stuck = watchdog.findStuck(entries, lag);
    metrics.sagasStuck(stuck.size());
    if (!lag.isZero()) {
      LOG.info("ledger lag {} ms: orders count as stuck after {} s without progress", lag.toMillis(),
          watchdog.stuckAfter().plus(lag).toSeconds());
    }
    if (stuck.isEmpty()) {
      return null;
    }
    Instant now = watchdog.now();
    Map<String, StuckOrder> byEventId = stuck.stream().collect(Collectors.toMap(s -> eventId(s), Function.identity()));
    List<Envelope> events = stuck.stream()
        .map(s -> new Envelope(eventId(s), "SagaStuck", 1, SOURCE, now, s.orderId(), s.lastEventId(), EventJson.tree(s.event())))
        .toList();
    PublishResult result = publisher.publish(events);
    Set<String> published = new HashSet<>(result.publishedIds());
    for (String id : published) {
      StuckOrder s = byEventId.get(id);
      ledger.markStuckReported(s.orderId(), s.lastEventId());
      LOG.warn("saga of {} stuck at {} ({}) for {} s: SagaStuck {}", s.orderId(), s.event().lastStatus(),
          s.event().lastEventType(), s.event().stuckForSeconds(), id);
    }
    for (FailedEntry failed : result.failed()) {
      LOG.error("SagaStuck {} not published ({}), retried on the next run", failed.event().id(), failed.errorCode());
    }
    return null;
  }

  /**
   * {@code STUCK_AFTER_MINUTES}: whole minutes in AWS ({@code 15}); a fraction ({@code 0.1} = 6 s)
   * lets the local runtime's tests see a stuck saga without waiting minutes.
   */
  static Duration stuckAfter(String minutes) {
    double value;
    try {
      value = Double.parseDouble(minutes.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("STUCK_AFTER_MINUTES must be a number of minutes, was '" + minutes + "'", e);
    }
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalStateException("STUCK_AFTER_MINUTES must be 0 or more, was '" + minutes + "'");
    }
    return Duration.ofMillis(Math.round(value * 60_000));
  }

  /** Once per (order, last event): derived from the last event's id, keyed by the order id. */
  static String eventId(StuckOrder s) {
    return EventIds.derived(s.lastEventId(), "SagaStuck", s.orderId());
  }
}
