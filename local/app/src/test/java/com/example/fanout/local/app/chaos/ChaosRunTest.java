package com.example.fanout.local.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The chaos scenario of {@code make chaos} with 300 orders and a restart halfway: every invariant must hold. */
class ChaosRunTest {
  @Test
  void chaosRun_shouldLoseNothingAndApplyNothingTwice_whenEveryConsumerCrashesDuplicatesAndIsPoisoned_aQueueIsDown_andThePlatformRestarts() throws Exception {
    Path data = Files.createDirectories(Path.of("target", "chaos-test-" + System.nanoTime()));

    ChaosRun.Report report = new ChaosRun(ChaosRun.Settings.of(300, Duration.ofMinutes(10), data)).run();
    String markdown = ChaosMain.markdown(300, Duration.ofMinutes(10), report);
    Files.writeString(data.resolve("reliability.md"), markdown);
    System.out.println(markdown);

    assertThat(report.ordersPlaced).isEqualTo(300);
    assertThat(report.restarts).as("the whole platform restarted once, halfway").isOne();
    assertThat(report.restartedAfterOrders).isEqualTo(150);
    assertThat(report.faultsInjected).as("every kind of fault fired")
        .containsKeys("crash", "crash-after", "duplicate", "throttle", "poison", "timeout", "timeout-after", "unavailable");
    assertThat(report.snsRetriesKeptAtRestart).as("SNS deliveries waiting out the queue outage, kept across the restart").isPositive();
    assertThat(report.deliveries.notificationsDelivered()).isPositive();
    assertThat(report.deliveries.notificationsFailed()).as("SNS deliveries given up on and moved to a DLQ").isZero();
    assertThat(report.streamBatchesRedriven).as("every batch the relay's mapping gave up on, redriven")
        .isEqualTo(report.streamBatchesGivenUp);
    assertThat(report.streamRedriveFailures).isEmpty();
    assertThat(report.lost).as("orders not at an end").isEmpty();
    assertThat(report.doubleApplied).isEmpty();
    assertThat(report.notNotified).isEmpty();
    assertThat(report.stockViolations).isEmpty();
    assertThat(report.dlqAfterRedrive).as("dead letters after the redrive").isZero();
    assertThat(report.holds()).isTrue();
  }
}
