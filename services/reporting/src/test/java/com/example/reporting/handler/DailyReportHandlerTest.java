package com.example.reporting.handler;

import static com.example.reporting.domain.LedgerFixtures.placed;
import static com.example.reporting.domain.LedgerFixtures.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.example.fanout.event.EventJson;
import com.example.reporting.domain.InMemoryLedgerStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DailyReportHandlerTest {
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final Map<String, String> objects = new LinkedHashMap<>();
  private final DailyReportHandler handler = new DailyReportHandler(ledger, objects::put,
      Clock.fixed(Instant.parse("2026-11-26T02:00:00Z"), ZoneOffset.UTC));

  @Test
  void handleRequest_shouldWriteYesterdaysReport_whenRunByTheSchedule() {
    ledger.apply(placed("ord_A", Instant.parse("2026-11-25T09:00:00Z"), 2500, "EUR"));
    ledger.apply(shipped("ord_A", Instant.parse("2026-11-25T09:05:00Z")));
    ledger.apply(placed("ord_B", Instant.parse("2026-11-26T01:00:00Z"), 100, "EUR"));

    handler.handleRequest(new ScheduledEvent(), null);

    assertThat(objects).containsOnlyKeys("reports/2026-11-25.json");
    JsonNode report = EventJson.parse(objects.get("reports/2026-11-25.json"));
    assertThat(report.get("date").asText()).isEqualTo("2026-11-25");
    assertThat(report.get("orders").asLong()).isEqualTo(1);
    assertThat(report.get("ordersByStatus").get("SHIPPED").asLong()).isEqualTo(1);
    assertThat(report.get("revenueCentsByCurrency").get("EUR").asLong()).isEqualTo(2500);
    assertThat(report.get("failuresByReason").isEmpty()).isTrue();
  }

  @Test
  void handleRequest_shouldWriteTheRequestedDay_whenTheDetailNamesOne() {
    ledger.apply(placed("ord_B", Instant.parse("2026-11-26T01:00:00Z"), 100, "EUR"));
    ScheduledEvent event = new ScheduledEvent();
    event.setDetail(Map.of("reportDate", "2026-11-26"));

    handler.handleRequest(event, null);

    assertThat(EventJson.parse(objects.get("reports/2026-11-26.json")).get("ordersByStatus").get("PLACED").asLong()).isEqualTo(1);
  }
}
