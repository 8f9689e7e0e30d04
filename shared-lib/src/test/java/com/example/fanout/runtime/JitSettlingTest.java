package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitSettlingTest {
  @Test
  void awaitQuiet_shouldReturnTrueAfterAQuietWindow_whenTheJitRunsOutOfWork() {
    long start = System.nanoTime();

    boolean quiet = JitSettling.awaitQuiet(Duration.ofSeconds(30));

    assertThat(quiet).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waits for a whole quiet window")
        .isGreaterThanOrEqualTo(JitSettling.QUIET);
  }

  @Test
  void prime_shouldRunThePrimingOncePerPass_eachTimeUntilTheJitIsQuiet() {
    List<Long> passesEnded = new ArrayList<>();
    long start = System.nanoTime();

    JitSettling.prime(() -> passesEnded.add(System.nanoTime()));

    assertThat(passesEnded).hasSize(JitSettling.PRIMING_PASSES);
    assertThat(Duration.ofNanos(passesEnded.get(1) - passesEnded.get(0))).as("the wait between the passes")
        .isGreaterThanOrEqualTo(JitSettling.QUIET);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the first wait, then the last")
        .isGreaterThanOrEqualTo(JitSettling.QUIET.multipliedBy(2));
  }

  @Test
  void awaitQuiet_shouldReturnFalse_whenItHasNoTimeToWait() {
    assertThat(JitSettling.awaitQuiet(Duration.ZERO)).isFalse();
  }
}
