package com.example.fanout.manifest;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventBridge Scheduler's {@code rate(...)} and {@code cron(minutes hours day-of-month month
 * day-of-week year)} expressions: numbers, names ({@code JAN}, {@code MON}), lists, ranges, steps,
 * {@code *} and {@code ?}. Day of week counts 1 = SUN as AWS does. {@code L}, {@code W} and {@code #}
 * are not supported locally and are refused at start-up. The local scheduler fires by it; {@code
 * fanout schedules} lists a window's runs with it.
 */
public abstract sealed class ScheduleExpression {
  private static final Pattern RATE = Pattern.compile("rate\\((\\d+)\\s+(minutes?|hours?|days?)\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");

  public static ScheduleExpression parse(String expression) {
    String e = expression.trim();
    Matcher rate = RATE.matcher(e);
    if (rate.matches()) {
      long n = Long.parseLong(rate.group(1));
      ChronoUnit unit = switch (rate.group(2).replaceAll("s$", "")) {
        case "minute" -> ChronoUnit.MINUTES;
        case "hour" -> ChronoUnit.HOURS;
        default -> ChronoUnit.DAYS;
      };
      if (n < 1) {
        throw new IllegalArgumentException(expression + ": the rate must be 1 or more");
      }
      return new Rate(Duration.of(n, unit));
    }
    Matcher cron = CRON.matcher(e);
    if (cron.matches()) {
      return new Cron(expression, cron.group(1).trim().split("\\s+"));
    }
    throw new IllegalArgumentException(expression + ": expected rate(N minutes|hours|days) or cron(min hour dom month dow year)");
  }

  /** The first fire time strictly after {@code after}, in {@code zone}. */
  public abstract ZonedDateTime next(ZonedDateTime after, ZoneId zone);

  /**
   * A {@code rate(...)}'s period; empty for a {@code cron(...)}. A rate's fire times follow the
   * schedule's start (its creation, or its start date), which the expression alone does not say.
   */
  public Optional<Duration> period() {
    return Optional.empty();
  }

  static final class Rate extends ScheduleExpression {
    private final Duration period;

    Rate(Duration period) {
      this.period = period;
    }

    @Override
    public ZonedDateTime next(ZonedDateTime after, ZoneId zone) {
      return after.withZoneSameInstant(zone).plus(period);
    }

    @Override
    public Optional<Duration> period() {
      return Optional.of(period);
    }
  }

  static final class Cron extends ScheduleExpression {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final BitSet years;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    Cron(String expression, String[] f) {
      if (f.length != 6) {
        throw new IllegalArgumentException(expression + ": a cron expression has 6 fields, found " + f.length);
      }
      if (!f[2].equals("?") && !f[4].equals("?")) {
        throw new IllegalArgumentException(expression + ": one of day-of-month and day-of-week must be '?'");
      }
      minutes = field(expression, f[0], 0, 59, List.of(), 0);
      hours = field(expression, f[1], 0, 23, List.of(), 0);
      daysOfMonth = field(expression, f[2], 1, 31, List.of(), 0);
      months = field(expression, f[3], 1, 12, MONTHS, 1);
      daysOfWeek = field(expression, f[4], 1, 7, DAYS, 1);
      years = field(expression, f[5], 1970, 2199, List.of(), 0);
      anyDayOfMonth = f[2].equals("?") || f[2].equals("*");
      anyDayOfWeek = f[4].equals("?") || f[4].equals("*");
    }

    private static BitSet field(String expression, String text, int min, int max, List<String> names, int nameBase) {
      BitSet bits = new BitSet();
      for (String part : text.toUpperCase(Locale.ROOT).split(",")) {
        if (part.matches(".*[LW#].*")) {
          throw new IllegalArgumentException(expression + ": '" + part + "' (L, W, #) is not supported by the local scheduler");
        }
        int step = 1;
        String range = part;
        int slash = part.indexOf('/');
        if (slash >= 0) {
          step = Integer.parseInt(part.substring(slash + 1));
          range = part.substring(0, slash);
        }
        int from;
        int to;
        if (range.equals("*") || range.equals("?")) {
          from = min;
          to = max;
        } else if (range.contains("-")) {
          String[] ab = range.split("-", 2);
          from = value(ab[0], names, nameBase);
          to = value(ab[1], names, nameBase);
        } else {
          from = value(range, names, nameBase);
          to = slash >= 0 ? max : from;
        }
        if (from < min || to > max || from > to || step < 1) {
          throw new IllegalArgumentException(expression + ": '" + part + "' is outside " + min + "-" + max);
        }
        for (int v = from; v <= to; v += step) {
          bits.set(v);
        }
      }
      return bits;
    }

    private static int value(String text, List<String> names, int nameBase) {
      int i = names.indexOf(text);
      return i >= 0 ? i + nameBase : Integer.parseInt(text);
    }

    @Override
    public ZonedDateTime next(ZonedDateTime after, ZoneId zone) {
      ZonedDateTime t = after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      ZonedDateTime limit = t.plusYears(5);
      while (t.isBefore(limit)) {
        if (!years.get(t.getYear()) || !months.get(t.getMonthValue())) {
          t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
        } else if (!dayMatches(t)) {
          t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        } else if (!hours.get(t.getHour())) {
          t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        } else if (!minutes.get(t.getMinute())) {
          t = t.plusMinutes(1);
        } else {
          return t;
        }
      }
      throw new IllegalStateException("the cron expression never fires in the next five years");
    }

    private boolean dayMatches(ZonedDateTime t) {
      boolean dom = daysOfMonth.get(t.getDayOfMonth());
      boolean dow = daysOfWeek.get(awsDayOfWeek(t.getDayOfWeek()));
      if (anyDayOfMonth && anyDayOfWeek) {
        return true;
      }
      return anyDayOfMonth ? dow : dom;
    }

    private static int awsDayOfWeek(DayOfWeek d) {
      return d.getValue() % 7 + 1;
    }
  }
}
