package com.example.reporting.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The daily order report: orders of one UTC day (by when they were placed), by status, revenue of
 * the shipped ones per currency (in minor units), failures by reason.
 */
public record DailyReport(
    LocalDate date,
    Instant generatedAt,
    long orders,
    Map<String, Long> ordersByStatus,
    Map<String, Long> revenueCentsByCurrency,
    Map<String, Long> failuresByReason) {

  public DailyReport {
    ordersByStatus = Map.copyOf(ordersByStatus);
    revenueCentsByCurrency = Map.copyOf(revenueCentsByCurrency);
    failuresByReason = Map.copyOf(failuresByReason);
  }

  /** {@code reports/<yyyy-MM-dd>.json}. */
  public String key() {
    return "reports/" + date + ".json";
  }

  public static DailyReport of(LocalDate date, Stream<LedgerEntry> entries, Instant now) {
    Map<String, Long> byStatus = new TreeMap<>();
    Map<String, Long> revenue = new TreeMap<>();
    Map<String, Long> failures = new TreeMap<>();
    long[] orders = {0};
    entries.filter(e -> date.equals(e.day())).forEach(e -> {
      orders[0]++;
      byStatus.merge(e.status() == null ? "UNKNOWN" : e.status().name(), 1L, Long::sum);
      if (e.status() == OrderStatus.SHIPPED && e.amountCents() != null && e.currency() != null) {
        revenue.merge(e.currency(), e.amountCents(), Long::sum);
      }
      if (e.failureReason() != null) {
        failures.merge(e.failureReason(), 1L, Long::sum);
      }
    });
    return new DailyReport(date, now, orders[0], byStatus, revenue, failures);
  }
}
