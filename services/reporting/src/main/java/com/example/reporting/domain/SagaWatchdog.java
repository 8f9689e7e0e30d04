package com.example.reporting.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Finds orders whose saga stopped: the last event is older than the deadline and the order is not
 * at an end of the saga. Ends (see the saga table in docs/architecture.md):
 * <ul>
 *   <li>SHIPPED <b>and</b> the customer notified of it (NotificationSent SHIPPED): the happy path's
 *       last step is the e-mail, so a shipped order whose notification is missing is stuck;
 *   <li>REJECTED (OutOfStock): nothing was reserved, nothing is left to undo;
 *   <li>PAYMENT_FAILED: the compensation (InventoryReleased) is not in the ledger's subscription,
 *       and a failed release or e-mail is caught by those consumers' DLQ alarms.
 * </ul>
 * An order already reported for its current last event is not reported again; a new event resets that.
 *
 * <p>The ledger judges from what it has recorded, and its queue may be behind: an order whose next
 * event is still waiting there looks stuck. So the deadline moves back by the ledger's lag, the
 * smallest lag among its {@value #RECENT_WRITES} most recent writes (how long after its event each
 * was applied). A backlog delays every recent write; one old event redriven from a DLQ delays only
 * its own, so it cannot silence the watchdog. With no traffic, the last writes' lag stands, and a
 * stopped saga is still reported.
 */
public final class SagaWatchdog {
  static final int RECENT_WRITES = 10;
  private final Clock clock;
  private final Duration stuckAfter;

  public SagaWatchdog(Clock clock, Duration stuckAfter) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.stuckAfter = Objects.requireNonNull(stuckAfter, "stuckAfter");
  }

  public static boolean isTerminal(LedgerEntry e) {
    if (e.status() == null) {
      return false;
    }
    return switch (e.status()) {
      case SHIPPED -> e.notified().contains("SHIPPED");
      case REJECTED, PAYMENT_FAILED -> true;
      default -> false;
    };
  }

  /** How far the ledger is behind the saga, from its most recent writes; zero when it kept no times. */
  public static Duration ledgerLag(List<LedgerEntry> entries) {
    return entries.stream()
        .filter(e -> e.recordedAt() != null && e.recordedLag() != null)
        .sorted(Comparator.comparing(LedgerEntry::recordedAt).reversed())
        .limit(RECENT_WRITES)
        .map(LedgerEntry::recordedLag)
        .min(Comparator.naturalOrder())
        .orElse(Duration.ZERO);
  }

  public List<StuckOrder> findStuck(List<LedgerEntry> entries) {
    return findStuck(entries, ledgerLag(entries));
  }

  /** {@link #findStuck(List)} with the ledger's lag already taken from these entries. */
  public List<StuckOrder> findStuck(List<LedgerEntry> entries, Duration ledgerLag) {
    Instant now = clock.instant();
    Instant deadline = now.minus(stuckAfter).minus(ledgerLag);
    return entries.stream()
        .filter(e -> e.lastEventAt() != null && e.lastEventId() != null)
        .filter(e -> !isTerminal(e))
        .filter(e -> e.lastEventAt().isBefore(deadline))
        .filter(e -> !e.lastEventId().equals(e.stuckReportedFor()))
        .map(e -> new StuckOrder(e.orderId(), e.lastEventId(), new SagaStuck(e.orderId(),
            e.status() == null ? "UNKNOWN" : e.status().name(), e.lastEventType(), e.lastEventAt(),
            Duration.between(e.lastEventAt(), now).toSeconds())))
        .toList();
  }

  public Duration stuckAfter() {
    return stuckAfter;
  }

  public Instant now() {
    return clock.instant();
  }
}
