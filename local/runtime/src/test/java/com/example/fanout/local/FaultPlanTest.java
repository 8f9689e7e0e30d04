package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  @Test
  void parse_shouldSetEveryFlag_whenTheClauseNamesThem() {
    FaultPlan plan = FaultPlan.builder()
        .parse("inventory-reserve-stock:crash=0.1,throttle=0.05,duplicate=0.2,delay=250ms,poison=0.01").build();

    assertThat(plan.forConsumer("inventory-reserve-stock"))
        .isEqualTo(new ConsumerFaults(0.1, 0.05, 0.2, Duration.ofMillis(250), 0.01));
    assertThat(plan.forConsumer("payments-authorize-payment")).isEqualTo(ConsumerFaults.NONE);
  }

  @Test
  void forConsumer_shouldFallBackToTheWildcard_whenTheConsumerHasNoClauseOfItsOwn() {
    FaultPlan plan = FaultPlan.builder().parse("*:duplicate=0.5").parse("a-b:delay=2s").build();

    assertThat(plan.forConsumer("x-y").duplicateRate()).isEqualTo(0.5);
    assertThat(plan.forConsumer("a-b").delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(plan.forConsumer("a-b").duplicateRate()).isZero();
  }

  @Test
  void deliveryFails_shouldFollowTheTargetsFlags_whenTopicsOrQueuesAreNamed() {
    FaultPlan plan = FaultPlan.builder().parse("orders-events:refuse=1").parse("audit-orders:missing=1").build();

    assertThat(plan.deliveryFails("orders-events", FaultPlan.DELIVERY_REFUSED)).isTrue();
    assertThat(plan.deliveryFails("orders-events", FaultPlan.DELIVERY_UNAVAILABLE)).isFalse();
    assertThat(plan.deliveryFails("audit-orders", FaultPlan.QUEUE_MISSING)).isTrue();
    assertThat(plan.deliveryFails("payments-events", FaultPlan.DELIVERY_REFUSED)).isFalse();
    assertThat(plan.forConsumer("audit-orders")).isEqualTo(ConsumerFaults.NONE);
    assertThatThrownBy(() -> FaultPlan.builder().parse("orders-events:refuse=2")).hasMessageContaining("between 0 and 1");

    plan.setDeliveryFault("orders-events", FaultPlan.DELIVERY_REFUSED, 0);
    assertThat(plan.deliveryFails("orders-events", FaultPlan.DELIVERY_REFUSED)).as("the outage fixed").isFalse();
  }

  @Test
  void parse_shouldRefuse_whenAFlagIsUnknownOrARateIsOutOfRange() {
    assertThatThrownBy(() -> FaultPlan.builder().parse("a-b:explode=1")).hasMessageContaining("unknown flag 'explode'");
    assertThatThrownBy(() -> FaultPlan.builder().parse("a-b:crash=1.5")).hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> FaultPlan.builder().parse("crash=1")).hasMessageContaining("expected <service>-<consumer>");
  }

  @Test
  void draw_shouldRepeatTheSameSequence_forTheSameSeedAndConsumer() {
    FaultPlan first = FaultPlan.builder().seed(7).build();
    FaultPlan second = FaultPlan.builder().seed(7).build();

    assertThat(IntStream.range(0, 50).mapToObj(i -> first.draw("a-b", 0.3)).toList())
        .isEqualTo(IntStream.range(0, 50).mapToObj(i -> second.draw("a-b", 0.3)).toList());
    assertThat(first.draw("a-b", 0)).isFalse();
    assertThat(first.draw("a-b", 1)).isTrue();
  }
}
