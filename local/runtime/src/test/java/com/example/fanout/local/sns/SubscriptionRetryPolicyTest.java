package com.example.fanout.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** SNS's delivery policy for AWS-managed endpoints, as "Amazon SNS message delivery retries" gives it. */
class SubscriptionRetryPolicyTest {

  @Test
  void delayBefore_shouldFollowSnsPhases_immediatePreBackoffBackoffPostBackoff() {
    assertThat(IntStream.rangeClosed(1, 3).mapToObj(SubscriptionRetryPolicy::delayBefore)).as("3 without delay")
        .containsOnly(Duration.ZERO);
    assertThat(IntStream.rangeClosed(4, 5).mapToObj(SubscriptionRetryPolicy::delayBefore)).as("2 one second apart")
        .containsOnly(Duration.ofSeconds(1));
    assertThat(SubscriptionRetryPolicy.delayBefore(6)).as("the backoff starts at 1 s").isEqualTo(Duration.ofSeconds(1));
    assertThat(SubscriptionRetryPolicy.delayBefore(15)).as("and reaches 20 s on its tenth").isEqualTo(Duration.ofSeconds(20));
    assertThat(IntStream.rangeClosed(6, 15).mapToObj(SubscriptionRetryPolicy::delayBefore)).as("growing at each step")
        .isSorted().doesNotHaveDuplicates();
    assertThat(IntStream.of(16, 50_000, 100_015).mapToObj(SubscriptionRetryPolicy::delayBefore)).as("100,000 twenty seconds apart")
        .containsOnly(Duration.ofSeconds(20));
  }

  @Test
  void delayBefore_shouldAddUpToSnsTwentyThreeDays_overItsHundredThousandAndFifteenRetries() {
    Duration total = IntStream.rangeClosed(1, SubscriptionRetryPolicy.MAX_RETRIES)
        .mapToObj(SubscriptionRetryPolicy::delayBefore).reduce(Duration.ZERO, Duration::plus);

    assertThat(SubscriptionRetryPolicy.MAX_RETRIES).isEqualTo(100_015);
    assertThat(total.toDays()).isEqualTo(23);
    assertThatThrownBy(() -> SubscriptionRetryPolicy.delayBefore(100_016)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubscriptionRetryPolicy.delayBefore(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jitteredDelayBefore_shouldStayWithinTheLastQuarterBelowTheDelay_andNeverDelayAnImmediateRetry() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1_000; i++) {
      assertThat(SubscriptionRetryPolicy.jitteredDelayBefore(2, random)).isZero();
      assertThat(SubscriptionRetryPolicy.jitteredDelayBefore(20, random)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
    }
    assertThat(IntStream.range(0, 100).mapToObj(i -> SubscriptionRetryPolicy.jitteredDelayBefore(4, random)).distinct().count())
        .as("spread, not one fixed delay").isGreaterThan(50);
  }
}
