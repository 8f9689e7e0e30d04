package com.example.notifications.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.testing.ConsumerHarness;
import com.example.notifications.domain.CustomerNotifier;
import com.example.notifications.domain.InMemoryNotificationLog;
import com.example.notifications.domain.NotificationRejectedException;
import com.example.notifications.domain.NotificationSender;
import com.example.notifications.domain.Outcome;
import com.example.notifications.sender.RecordingNotificationSender;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotifyCustomerHandlerTest {
  private final InMemoryNotificationLog log = new InMemoryNotificationLog();
  private final RecordingNotificationSender recording = RecordingNotificationSender.inMemory();

  private ConsumerHarness<NotifyCustomerHandler> harness(NotificationSender sender) {
    return new ConsumerHarness<>("notifications", "notify-customer", runtime -> new NotifyCustomerHandler(runtime,
        new CustomerNotifier(log, sender, Clock.systemUTC(), Duration.ofSeconds(60))));
  }

  @ParameterizedTest
  @CsvSource({"OrderShipped.json,SHIPPED", "OutOfStock.json,OUT_OF_STOCK", "PaymentFailed.json,PAYMENT_FAILED"})
  void event_shouldSendOneEmailAndEmitNotificationSent_whenTheOrderEnds(String fixture, Outcome outcome) {
    ConsumerHarness<NotifyCustomerHandler> h = harness(recording);

    assertThat(h.deliver(ConsumerHarness.fixture(fixture))).isEmpty();

    assertThat(recording.sent()).singleElement().satisfies(n -> {
      assertThat(n.outcome()).isEqualTo(outcome);
      assertThat(n.to()).isEqualTo("ada@example.com");
    });
    assertThat(h.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("NotificationSent");
      assertThat(e.data().get("outcome").asText()).isEqualTo(outcome.name());
      assertThat(e.data().get("channel").asText()).isEqualTo("EMAIL");
      assertThat(e.data().get("messageId").asText()).isEqualTo("rec-ord_7Hq2mX9pLk-" + outcome.name());
    });
  }

  @Test
  void orderShipped_shouldSendOnce_whenDeliveredTwice() {
    ConsumerHarness<NotifyCustomerHandler> h = harness(recording);
    Envelope shipped = ConsumerHarness.fixture("OrderShipped.json");

    h.deliver(shipped);
    h.deliver(shipped);

    assertThat(recording.sent()).hasSize(1);
    assertThat(h.published).hasSize(2).extracting(Envelope::id).containsOnly(h.published.get(0).id());
  }

  @Test
  void orderShipped_shouldReportTheRecordForRetry_whenTheSendFails() {
    ConsumerHarness<NotifyCustomerHandler> h = harness(n -> {
      throw new IllegalStateException("SES throttled");
    });
    Envelope shipped = ConsumerHarness.fixture("OrderShipped.json");

    assertThat(h.deliver(shipped)).containsExactly("msg-" + shipped.id());
    assertThat(h.published).isEmpty();
    assertThat(log.items).isEmpty();
  }

  @Test
  void orderShipped_shouldGoToTheDlq_whenTheChannelRejectsTheMessage() {
    ConsumerHarness<NotifyCustomerHandler> h = harness(n -> {
      throw new NotificationRejectedException("SES rejected " + n, null);
    });

    assertThat(h.deliver(ConsumerHarness.fixture("OrderShipped.json"))).isEmpty();
    assertThat(h.deadLetters).hasSize(1);
    assertThat(h.published).isEmpty();
  }

}
