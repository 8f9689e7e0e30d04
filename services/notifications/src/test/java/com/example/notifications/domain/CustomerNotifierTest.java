package com.example.notifications.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerNotifierTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private final InMemoryNotificationLog log = new InMemoryNotificationLog();
  private final List<Notification> sent = new ArrayList<>();
  private final NotificationSender sender = n -> {
    sent.add(n);
    return "msg-" + sent.size();
  };
  private final Notification shipped = Notification.shipped(
      new Events.OrderShipped("ord_AAAA1111", "shp_ord_AAAA1111", "LOCAL-POST", "LP0000000001", "cus_1", "ada@example.com"));

  private CustomerNotifier notifier(NotificationSender s, Instant now) {
    return new CustomerNotifier(log, s, Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(60));
  }

  @Test
  void notify_shouldSendOnceAndReturnTheSameMessageId_whenDeliveredTwice() {
    NotificationSent first = notifier(sender, T0).notify(shipped);
    NotificationSent second = notifier(sender, T0.plusSeconds(5)).notify(shipped);

    assertThat(sent).hasSize(1);
    assertThat(second).isEqualTo(first);
    assertThat(first).isEqualTo(new NotificationSent("ord_AAAA1111", Outcome.SHIPPED, "EMAIL", "msg-1"));
  }

  @Test
  void notify_shouldSendOnTheRetry_whenTheFirstSendFailed() {
    NotificationSender failing = n -> {
      throw new IllegalStateException("SES throttled");
    };
    assertThatThrownBy(() -> notifier(failing, T0).notify(shipped)).hasMessageContaining("throttled");

    notifier(sender, T0.plusSeconds(1)).notify(shipped);

    assertThat(sent).hasSize(1);
  }

  @Test
  void notify_shouldThrowTransientWithoutSending_whenAnotherAttemptHoldsTheLease() {
    log.claim(shipped.key(), "other", T0, Duration.ofSeconds(60));

    assertThatThrownBy(() -> notifier(sender, T0.plusSeconds(10)).notify(shipped)).isInstanceOf(NotificationInFlightException.class);
    assertThat(sent).isEmpty();
  }

  @Test
  void notify_shouldSendAgain_whenAnAttemptCrashedAfterSendingAndItsLeaseExpired() {
    // The documented at-least-once window: claimed, sent, crashed before recording SENT.
    log.claim(shipped.key(), "crashed", T0, Duration.ofSeconds(60));

    notifier(sender, T0.plusSeconds(61)).notify(shipped);

    assertThat(sent).hasSize(1);
    assertThat(log.items.get(shipped.key()).state()).isEqualTo("SENT");
  }

  @Test
  void notify_shouldKeepOutcomesApart_whenOneOrderGetsTwoOutcomes() {
    Notification failed = Notification.paymentFailed(new Events.PaymentFailed("ord_AAAA1111", "DECLINED", "res_ord_AAAA1111",
        "cus_1", "ada@example.com", 2500, "EUR"));

    notifier(sender, T0).notify(shipped);
    notifier(sender, T0).notify(failed);

    assertThat(sent).extracting(Notification::outcome).containsExactly(Outcome.SHIPPED, Outcome.PAYMENT_FAILED);
  }

  @Test
  void notification_shouldNotPrintPersonalData_whenLogged() {
    assertThat(shipped.toString()).isEqualTo("Notification[ord_AAAA1111#SHIPPED]").doesNotContain("ada@");
  }

  @Test
  void paymentFailed_shouldExplainTheReasonAndAmount_whenComposed() {
    Notification n = Notification.paymentFailed(new Events.PaymentFailed("ord_AAAA1111", "INSUFFICIENT_FUNDS", "res",
        "cus_1", "ada@example.com", 2505, "EUR"));

    assertThat(n.body()).contains("25.05 EUR").contains("insufficient funds");
    assertThat(n.to()).isEqualTo("ada@example.com");
  }
}
