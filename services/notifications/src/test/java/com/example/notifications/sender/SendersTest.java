package com.example.notifications.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.notifications.domain.Events;
import com.example.notifications.domain.Notification;
import com.example.notifications.domain.NotificationRejectedException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;

class SendersTest {
  private final Notification shipped = Notification.shipped(
      new Events.OrderShipped("ord_AAAA1111", "shp_ord_AAAA1111", "LOCAL-POST", "LP0000000001", "cus_1", "ada@example.com"));

  @Test
  void recording_shouldAppendOneJsonLinePerEmail_whenGivenAnOutbox(@TempDir Path dir) throws IOException {
    Path outbox = dir.resolve("out/notifications.jsonl");
    RecordingNotificationSender sender = new RecordingNotificationSender(outbox,
        Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));

    assertThat(sender.send(shipped)).isEqualTo("rec-ord_AAAA1111-SHIPPED");
    sender.send(shipped);

    List<String> lines = Files.readAllLines(outbox);
    assertThat(lines).hasSize(2);
    JsonNode line = EventJson.parse(lines.get(0));
    assertThat(line.get("to").asText()).isEqualTo("ada@example.com");
    assertThat(line.get("outcome").asText()).isEqualTo("SHIPPED");
    assertThat(line.get("subject").asText()).contains("ord_AAAA1111");
    assertThat(sender.sent()).hasSize(2);
  }

  @Test
  void ses_shouldSendFromTheSenderAddressToTheCustomer_whenSending() {
    AtomicReference<SendEmailRequest> request = new AtomicReference<>();
    SesNotificationSender sender = new SesNotificationSender(ses(r -> {
      request.set(r);
      return SendEmailResponse.builder().messageId("ses-1").build();
    }), "orders@example.com");

    assertThat(sender.send(shipped)).isEqualTo("ses-1");
    assertThat(request.get().fromEmailAddress()).isEqualTo("orders@example.com");
    assertThat(request.get().destination().toAddresses()).containsExactly("ada@example.com");
    assertThat(request.get().content().simple().subject().data()).contains("ord_AAAA1111");
    assertThat(request.get().content().simple().body().text().data()).contains("LP0000000001");
  }

  @Test
  void ses_shouldThrowRejected_whenSesRejectsTheMessage() {
    SesNotificationSender sender = new SesNotificationSender(ses(r -> {
      throw MessageRejectedException.builder()
          .awsErrorDetails(AwsErrorDetails.builder().errorMessage("Email address is not verified").build()).build();
    }), "orders@example.com");

    assertThatThrownBy(() -> sender.send(shipped)).isInstanceOf(NotificationRejectedException.class)
        .message().contains("not verified").doesNotContain("ada@example.com");
  }

  private static SesV2Client ses(java.util.function.Function<SendEmailRequest, SendEmailResponse> answer) {
    return new SesV2Client() {
      @Override
      public SendEmailResponse sendEmail(SendEmailRequest request) {
        return answer.apply(request);
      }

      @Override
      public String serviceName() {
        return "ses";
      }

      @Override
      public void close() {}
    };
  }
}
