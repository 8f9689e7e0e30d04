package com.example.notifications.sender;

import com.example.fanout.runtime.AwsClients;
import com.example.notifications.domain.Notification;
import com.example.notifications.domain.NotificationRejectedException;
import com.example.notifications.domain.NotificationSender;
import java.util.Objects;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;

/**
 * E-mail through Amazon SES v2 {@code SendEmail} from {@code SENDER_ADDRESS}. A rejected message
 * (invalid recipient, unverified identity) is {@link NotificationRejectedException}; throttling and
 * service errors propagate as the SDK's exceptions and are retried.
 */
public final class SesNotificationSender implements NotificationSender {
  private static final String UTF_8 = "UTF-8";

  private final SesV2Client ses;
  private final String from;

  public SesNotificationSender(SesV2Client ses, String from) {
    this.ses = Objects.requireNonNull(ses, "ses");
    this.from = Objects.requireNonNull(from, "from");
  }

  public static SesNotificationSender create(String from) {
    return new SesNotificationSender(AwsClients.fromEnvironment().build(SesV2Client.builder()), from);
  }

  @Override
  public String send(Notification n) {
    try {
      SendEmailResponse response = ses.sendEmail(r -> r
          .fromEmailAddress(from)
          .destination(d -> d.toAddresses(n.to()))
          .content(c -> c.simple(m -> m
              .subject(s -> s.data(n.subject()).charset(UTF_8))
              .body(b -> b.text(t -> t.data(n.body()).charset(UTF_8)))))
          .emailTags(MessageTag.builder().name("outcome").value(n.outcome().name()).build()));
      return response.messageId();
    } catch (MessageRejectedException e) {
      throw new NotificationRejectedException("SES rejected " + n + ": " + e.awsErrorDetails().errorMessage(), e);
    }
  }
}
