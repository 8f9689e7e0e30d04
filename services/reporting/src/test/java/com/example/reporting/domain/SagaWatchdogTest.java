package com.example.reporting.domain;

import static com.example.reporting.domain.LedgerFixtures.authorized;
import static com.example.reporting.domain.LedgerFixtures.notified;
import static com.example.reporting.domain.LedgerFixtures.outOfStock;
import static com.example.reporting.domain.LedgerFixtures.paymentFailed;
import static com.example.reporting.domain.LedgerFixtures.placed;
import static com.example.reporting.domain.LedgerFixtures.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SagaWatchdogTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();

  private List<StuckOrder> runAt(Instant now) {
    return new SagaWatchdog(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(15)).findStuck(ledger.scan().toList());
  }

  @Test
  void findStuck_shouldFlagOnlyNonTerminalOrdersPastTheDeadline_whenRun() {
    ledger.apply(placed("ord_PAID", T0, 2500, "EUR"));
    ledger.apply(authorized("ord_PAID", T0.plusSeconds(1)));               // stuck before shipping
    ledger.apply(placed("ord_SHIPPED_SILENT", T0, 2500, "EUR"));
    ledger.apply(shipped("ord_SHIPPED_SILENT", T0.plusSeconds(1)));        // shipped, no e-mail: stuck
    ledger.apply(placed("ord_DONE", T0, 2500, "EUR"));
    ledger.apply(shipped("ord_DONE", T0.plusSeconds(1)));
    ledger.apply(notified("ord_DONE", T0.plusSeconds(2), "SHIPPED"));      // terminal
    ledger.apply(placed("ord_REJECTED", T0, 2500, "EUR"));
    ledger.apply(outOfStock("ord_REJECTED", T0.plusSeconds(1)));           // terminal
    ledger.apply(placed("ord_FAILED", T0, 2500, "EUR"));
    ledger.apply(paymentFailed("ord_FAILED", T0.plusSeconds(1), "DECLINED")); // terminal
    ledger.apply(placed("ord_RECENT", T0.plusSeconds(600), 2500, "EUR"));  // not past the deadline

    List<StuckOrder> stuck = runAt(T0.plus(Duration.ofMinutes(20)));

    assertThat(stuck).extracting(StuckOrder::orderId).containsExactlyInAnyOrder("ord_PAID", "ord_SHIPPED_SILENT");
    assertThat(stuck).filteredOn(s -> s.orderId().equals("ord_PAID")).singleElement().satisfies(s -> {
      assertThat(s.event().lastStatus()).isEqualTo("PAYMENT_AUTHORIZED");
      assertThat(s.event().lastEventType()).isEqualTo("PaymentAuthorized");
      assertThat(s.event().lastEventAt()).isEqualTo(T0.plusSeconds(1));
      assertThat(s.event().stuckForSeconds()).isEqualTo(20 * 60 - 1);
      assertThat(s.lastEventId()).isEqualTo("evt_auth_ord_PAID");
    });
  }

  @Test
  void findStuck_shouldWaitTheLedgersLagToo_whenItsRecentWritesAreBehindTheSaga() {
    // The ledger applies every event 4 minutes after it occurred: its queue holds a backlog.
    Duration backlog = Duration.ofMinutes(4);
    ledger.apply(placed("ord_SLOW", T0, 2500, "EUR").recordedAt(T0.plus(backlog)));
    for (int i = 0; i < SagaWatchdog.RECENT_WRITES; i++) {
      Instant at = T0.plusSeconds(60 + i);
      ledger.apply(placed("ord_BUSY_" + i, at, 2500, "EUR").recordedAt(at.plus(backlog)));
    }

    assertThat(SagaWatchdog.ledgerLag(ledger.scan().toList())).isEqualTo(backlog);
    assertThat(runAt(T0.plus(Duration.ofMinutes(17)))).as("17 min: within 15 min + the 4 min lag").isEmpty();
    assertThat(runAt(T0.plus(Duration.ofMinutes(20)))).extracting(StuckOrder::orderId).contains("ord_SLOW");
  }

  @Test
  void ledgerLag_shouldIgnoreOneOldEventRedriven_whenTheOtherRecentWritesAreOnTime() {
    for (int i = 0; i < SagaWatchdog.RECENT_WRITES; i++) {
      Instant at = T0.plusSeconds(i);
      ledger.apply(placed("ord_" + i, at, 2500, "EUR").recordedAt(at.plusMillis(200)));
    }
    // A week-old event out of a DLQ, applied last.
    ledger.apply(placed("ord_OLD", T0.minus(Duration.ofDays(7)), 2500, "EUR").recordedAt(T0.plusSeconds(30)));

    assertThat(SagaWatchdog.ledgerLag(ledger.scan().toList())).isEqualTo(Duration.ofMillis(200));
    assertThat(runAt(T0.plus(Duration.ofMinutes(16)))).extracting(StuckOrder::orderId).contains("ord_OLD", "ord_0");
  }

  @Test
  void findStuck_shouldStillFlag_whenTrafficStopsAfterTheLedgerCaughtUp() {
    ledger.apply(placed("ord_STOPPED", T0, 2500, "EUR").recordedAt(T0.plusMillis(150)));

    assertThat(runAt(T0.plus(Duration.ofHours(3)))).extracting(StuckOrder::orderId).containsExactly("ord_STOPPED");
  }

  @Test
  void findStuck_shouldNotFlagAgain_whenAlreadyReportedForTheSameLastEvent() {
    ledger.apply(placed("ord_X", T0, 2500, "EUR"));
    ledger.markStuckReported("ord_X", "evt_placed_ord_X");

    assertThat(runAt(T0.plus(Duration.ofHours(1)))).isEmpty();

    ledger.apply(LedgerFixtures.reserved("ord_X", T0.plus(Duration.ofHours(1))));
    assertThat(runAt(T0.plus(Duration.ofHours(2)))).extracting(StuckOrder::lastEventId).containsExactly("evt_reserved_ord_X");
  }
}
