package com.example.fanout.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonInstantTest {

  @Test
  void readInstant_shouldEqualInstantParse_whenTheTextIsWhatInstantToStringWrites() {
    Random random = new Random(20261204);
    long[] precisions = {1_000_000_000L, 1_000_000L, 1_000L, 1L};
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
          Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 1);
      long precision = precisions[i % precisions.length];
      Instant instant = Instant.ofEpochSecond(seconds, random.nextLong(1_000_000_000L) / precision * precision);

      assertThat(EventJson.readInstant(instant.toString())).isEqualTo(instant);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-12-04T15:27:19Z", "2026-12-04T15:27:19.1Z", "2026-12-04T15:27:19.12Z", "2026-12-04T15:27:19.1234Z",
      "2026-12-04T15:27:19.123456789Z", "2024-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z", "2016-12-31T23:59:60Z", "2026-12-04T15:27:19+02:00", "2026-12-04T15:27:19.5-01:30",
      "+10000-01-01T00:00:00Z", "2026-12-04t15:27:19z", "2026-12-04T15:27:19.Z"})
  void readInstant_shouldAcceptWhatInstantParseAccepts_withTheSameValue(String text) {
    assertThat(EventJson.readInstant(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-04T25:00:00Z",
      "2026-12-04T15:61:00Z", "2026-12-04T15:27:19.1234567890Z", "2026-1a-04T15:27:19Z",
      "2026-12-04 15:27:19Z", "2026-12-04T15:27:19", "2026-12-04T15:27:19.123", "\u0662\u0660\u0662\u0666-12-04T15:27:19Z",
      "2026-12-04T15:27:19.12 Z", ""})
  void readInstant_shouldRefuseWhatInstantParseRefuses(String text) {
    assertThat(catchThrowable(() -> Instant.parse(text))).isInstanceOf(DateTimeParseException.class);

    assertThatThrownBy(() -> EventJson.readInstant(text)).isInstanceOf(DateTimeParseException.class);
  }
}
