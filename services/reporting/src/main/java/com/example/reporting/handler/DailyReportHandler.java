package com.example.reporting.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionRuntime;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.reporting.domain.DailyReport;
import com.example.reporting.domain.LedgerStore;
import com.example.reporting.domain.ReportStore;
import com.example.reporting.dynamodb.DynamoDbLedgerStore;
import com.example.reporting.s3.S3ReportStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedule {@code daily-report} (02:00 UTC): scans the ledger and writes {@code reports/<yyyy-MM-dd>.json}
 * of the previous UTC day to the reports bucket. A run for another day (backfill, local demo) passes
 * {@code {"reportDate": "yyyy-MM-dd"}} as the scheduled event's detail. Re-running overwrites the
 * same object.
 */
public final class DailyReportHandler implements RequestHandler<ScheduledEvent, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(DailyReportHandler.class);

  private final FunctionRuntime runtime;
  private final LedgerStore ledger;
  private final ReportStore reports;
  private final Clock clock;

  public DailyReportHandler() {
    this(FunctionRuntime.fromEnvironment());
  }

  private DailyReportHandler(FunctionRuntime runtime) {
    this(runtime, new DynamoDbLedgerStore(runtime.clients().dynamoDb(), FunctionEnvironment.table("ledger")),
        new S3ReportStore(runtime.clients().s3(), FunctionEnvironment.bucket("reports")),
        Clock.systemUTC());
  }

  public DailyReportHandler(LedgerStore ledger, ReportStore reports, Clock clock) {
    this(FunctionRuntime.fromEnvironment(), ledger, reports, clock);
  }

  private DailyReportHandler(FunctionRuntime runtime, LedgerStore ledger, ReportStore reports, Clock clock) {
    this.runtime = runtime;
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.reports = Objects.requireNonNull(reports, "reports");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Void handleRequest(ScheduledEvent event, Context context) {
    return runtime.invoke(context, "schedule", event == null ? null : event.getId(), () -> report(event));
  }

  private Void report(ScheduledEvent event) {
    LocalDate date = reportDate(event);
    DailyReport report;
    try (var entries = ledger.scan()) {
      report = DailyReport.of(date, entries, clock.instant());
    }
    reports.put(report.key(), EventJson.write(report));
    LOG.info("wrote {}: {} orders", report.key(), report.orders());
    return null;
  }

  private LocalDate reportDate(ScheduledEvent event) {
    Object requested = event == null || event.getDetail() == null ? null : event.getDetail().get("reportDate");
    if (requested != null) {
      return LocalDate.parse(requested.toString());
    }
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
  }
}
