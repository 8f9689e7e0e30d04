package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void cron_shouldFireNextDayAtTwo_whenTwoOClockHasPassed() {
    ZonedDateTime after = ZonedDateTime.of(2026, 1, 1, 3, 0, 0, 0, UTC);
    assertThat(ScheduleExpression.parse("cron(0 2 * * ? *)").next(after, UTC))
        .isEqualTo(ZonedDateTime.of(2026, 1, 2, 2, 0, 0, 0, UTC));
  }

  @Test
  void cron_shouldSkipTheWeekend_whenDaysOfWeekAreMondayToFriday() {
    ZonedDateTime fridayEvening = ZonedDateTime.of(2026, 1, 2, 18, 0, 0, 0, UTC);
    assertThat(ScheduleExpression.parse("cron(0/15 9-17 ? * MON-FRI *)").next(fridayEvening, UTC))
        .isEqualTo(ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, UTC));
  }

  @Test
  void cron_shouldCountSundayAsOne_asAwsDoes() {
    ZonedDateTime monday = ZonedDateTime.of(2026, 1, 5, 0, 0, 0, 0, UTC);
    assertThat(ScheduleExpression.parse("cron(30 6 ? * 1 *)").next(monday, UTC).getDayOfWeek())
        .isEqualTo(java.time.DayOfWeek.SUNDAY);
  }

  @Test
  void cron_shouldFollowTheScheduleTimeZone_whenOneIsGiven() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    ZonedDateTime next = ScheduleExpression.parse("cron(0 2 * * ? *)").next(ZonedDateTime.of(2026, 6, 1, 12, 0, 0, 0, UTC), paris);
    assertThat(next.withZoneSameInstant(UTC).getHour()).isEqualTo(0);
  }

  @Test
  void rate_shouldAddThePeriod() {
    ZonedDateTime t = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, UTC);
    assertThat(ScheduleExpression.parse("rate(5 minutes)").next(t, UTC)).isEqualTo(t.plusMinutes(5));
    assertThat(ScheduleExpression.parse("rate(1 day)").next(t, UTC)).isEqualTo(t.plusDays(1));
  }

  @Test
  void parse_shouldRefuse_whenTheExpressionUsesUnsupportedOrInvalidSyntax() {
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 L * ? *)")).hasMessageContaining("not supported");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 1 * MON *)")).hasMessageContaining("must be '?'");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 25 * * ? *)")).hasMessageContaining("outside 0-23");
    assertThatThrownBy(() -> ScheduleExpression.parse("every day")).hasMessageContaining("expected rate");
  }
}
