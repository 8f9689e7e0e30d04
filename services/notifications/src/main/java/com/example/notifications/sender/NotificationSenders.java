package com.example.notifications.sender;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.notifications.domain.NotificationSender;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Chooses the sender: {@code NOTIFICATION_SENDER=ses} (the default: what runs in AWS, from
 * {@code SENDER_ADDRESS}) or {@code recording} (the local runtime sets it, with
 * {@code NOTIFICATIONS_OUTBOX_FILE} optionally naming the JSON-lines outbox).
 */
public final class NotificationSenders {
  private NotificationSenders() {}

  public static NotificationSender fromEnvironment() {
    String kind = FunctionEnvironment.get("NOTIFICATION_SENDER").orElse("ses");
    return switch (kind) {
      case "ses" -> SesNotificationSender.create(FunctionEnvironment.require("SENDER_ADDRESS"));
      case "recording" -> new RecordingNotificationSender(
          FunctionEnvironment.get("NOTIFICATIONS_OUTBOX_FILE").map(Path::of).orElse(null), Clock.systemUTC());
      default -> throw new IllegalStateException("NOTIFICATION_SENDER must be ses or recording, was " + kind);
    };
  }
}
