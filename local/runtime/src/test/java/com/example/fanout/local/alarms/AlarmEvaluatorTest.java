package com.example.fanout.local.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmEvaluatorTest {
  private final MetricStore metrics = new MetricStore(new LocalClock(1));
  private final Map<String, String> queue = Map.of("QueueName", "t-shop-ship-dlq");

  private AlarmDefinition alarm(String statistic, int evaluationPeriods, int datapoints, String missing) {
    return new AlarmDefinition("t-shop-ship-dlq-ConsumerDlqNotEmpty", "ConsumerDlqNotEmpty", "AWS/SQS",
        "ApproximateNumberOfMessagesVisible", queue, statistic, 60, evaluationPeriods, datapoints, 0, "GreaterThanThreshold", missing);
  }

  private void put(Instant at, double value) {
    metrics.put(new MetricKey("AWS/SQS", "ApproximateNumberOfMessagesVisible", queue), at, value);
  }

  @Test
  void evaluate_shouldGoFromInsufficientDataToAlarmAndBackToOk_whenTheMaximumCrossesTheThreshold() {
    AlarmEvaluator evaluator = new AlarmEvaluator(metrics, List.of(alarm("Maximum", 1, 1, "notBreaching")));
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    put(t0.plusSeconds(10), 0);
    assertThat(evaluator.evaluate(t0.plusSeconds(61))).singleElement()
        .satisfies(t -> assertThat(t.from()).isEqualTo(AlarmState.INSUFFICIENT_DATA))
        .satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.OK));
    put(t0.plusSeconds(70), 3);
    assertThat(evaluator.evaluate(t0.plusSeconds(100))).as("the period has not ended").isEmpty();
    List<AlarmTransition> alarmed = evaluator.evaluate(t0.plusSeconds(121));
    assertThat(alarmed).singleElement().satisfies(t -> {
      assertThat(t.to()).isEqualTo(AlarmState.ALARM);
      assertThat(t.at()).isEqualTo(t0.plusSeconds(120));
      assertThat(t.reason()).contains("[3]").contains("1 of 1 breaching");
      assertThat(t.runbook()).isEqualTo("runbooks/ConsumerDlqNotEmpty.md");
    });
    put(t0.plusSeconds(130), 0);
    assertThat(evaluator.evaluate(t0.plusSeconds(181))).singleElement()
        .satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.OK));
  }

  @Test
  void evaluate_shouldEvaluateEveryPeriodThatEnded_whenCalledLate() {
    AlarmEvaluator evaluator = new AlarmEvaluator(metrics, List.of(alarm("Sum", 1, 1, "notBreaching")));
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    assertThat(evaluator.evaluate(t0.plusSeconds(61))).extracting(AlarmTransition::to).containsExactly(AlarmState.OK);
    put(t0.plusSeconds(70), 1);

    assertThat(evaluator.evaluate(t0.plusSeconds(300))).as("one call, four periods: the one with the datapoint alarms")
        .extracting(AlarmTransition::to).containsExactly(AlarmState.ALARM, AlarmState.OK);
  }

  @Test
  void values_shouldHoldAGaugesLastSample_untilTheNextOne() {
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    MetricKey depth = new MetricKey("AWS/SQS", "ApproximateNumberOfMessagesVisible", queue);
    metrics.putGauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", queue, 4);
    Instant sampled = metrics.now();

    assertThat(metrics.values(depth, sampled.plusSeconds(60), sampled.plusSeconds(120))).containsExactly(4.0);
    assertThat(metrics.values(new MetricKey("AWS/Lambda", "Errors", Map.of()), t0, t0.plusSeconds(60))).isEmpty();
  }

  @Test
  void evaluate_shouldNeedEveryEvaluationPeriodBreaching_whenDatapointsToAlarmEqualsThem() {
    AlarmEvaluator evaluator = new AlarmEvaluator(metrics, List.of(alarm("Sum", 3, 3, "notBreaching")));
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    put(t0.plusSeconds(1), 1);
    put(t0.plusSeconds(61), 1);
    assertThat(evaluator.evaluate(t0.plusSeconds(121))).singleElement().satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.OK));
    put(t0.plusSeconds(121), 1);
    assertThat(evaluator.evaluate(t0.plusSeconds(181))).singleElement().satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.ALARM));
  }

  @Test
  void evaluate_shouldReportInsufficientData_whenMissingDataIsMissingAndNoPeriodHasData() {
    AlarmEvaluator evaluator = new AlarmEvaluator(metrics, List.of(alarm("Sum", 1, 1, "missing")));
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    put(t0.plusSeconds(1), 1);
    assertThat(evaluator.evaluate(t0.plusSeconds(61))).singleElement().satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.ALARM));
    assertThat(evaluator.evaluate(t0.plus(Duration.ofMinutes(5)))).singleElement()
        .satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.INSUFFICIENT_DATA));
  }

  @Test
  void evaluate_shouldTreatMissingPeriodsAsBreaching_whenTreatMissingDataIsBreaching() {
    AlarmEvaluator evaluator = new AlarmEvaluator(metrics, List.of(alarm("Sum", 1, 1, "breaching")));
    assertThat(evaluator.evaluate(Instant.parse("2026-12-01T10:00:00Z"))).singleElement()
        .satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.ALARM));
  }

  @Test
  void evaluate_shouldLeaveTheAlarmAlone_whenMissingDataIsIgnoredAndThereIsNone() {
    AlarmEvaluator evaluator = new AlarmEvaluator(metrics, List.of(alarm("Sum", 1, 1, "ignore")));
    assertThat(evaluator.evaluate(Instant.parse("2026-12-01T10:00:00Z"))).isEmpty();
    assertThat(evaluator.status()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA));
  }
}
