package com.example.reporting.domain;

import static com.example.reporting.domain.LedgerFixtures.notified;
import static com.example.reporting.domain.LedgerFixtures.outOfStock;
import static com.example.reporting.domain.LedgerFixtures.paymentFailed;
import static com.example.reporting.domain.LedgerFixtures.placed;
import static com.example.reporting.domain.LedgerFixtures.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DailyReportTest {
  private static final Instant DAY = Instant.parse("2026-11-25T09:00:00Z");

  @Test
  void of_shouldCountTheDaysOrdersRevenueAndFailures_whenTheLedgerHasSeveralDays() {
    InMemoryLedgerStore ledger = new InMemoryLedgerStore();
    ledger.apply(placed("ord_A", DAY, 2500, "EUR"));
    ledger.apply(shipped("ord_A", DAY.plusSeconds(10)));
    ledger.apply(notified("ord_A", DAY.plusSeconds(11), "SHIPPED"));
    ledger.apply(placed("ord_B", DAY, 1000, "USD"));
    ledger.apply(shipped("ord_B", DAY.plusSeconds(10)));
    ledger.apply(placed("ord_C", DAY, 700, "EUR"));
    ledger.apply(outOfStock("ord_C", DAY.plusSeconds(1)));
    ledger.apply(placed("ord_D", DAY, 900, "EUR"));
    ledger.apply(paymentFailed("ord_D", DAY.plusSeconds(2), "DECLINED"));
    ledger.apply(placed("ord_E", DAY.plusSeconds(86_400), 5000, "EUR")); // the next day

    DailyReport report = DailyReport.of(LocalDate.parse("2026-11-25"), ledger.scan(), Instant.parse("2026-11-26T02:00:00Z"));

    assertThat(report.key()).isEqualTo("reports/2026-11-25.json");
    assertThat(report.orders()).isEqualTo(4);
    assertThat(report.ordersByStatus()).isEqualTo(Map.of("SHIPPED", 2L, "REJECTED", 1L, "PAYMENT_FAILED", 1L));
    assertThat(report.revenueCentsByCurrency()).isEqualTo(Map.of("EUR", 2500L, "USD", 1000L));
    assertThat(report.failuresByReason()).isEqualTo(Map.of("OUT_OF_STOCK", 1L, "DECLINED", 1L));
  }
}
