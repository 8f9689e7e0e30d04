package com.example.notifications.sender;

import com.example.fanout.event.EventJson;
import com.example.notifications.domain.Notification;
import com.example.notifications.domain.NotificationSender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The local runtime's sender ({@code NOTIFICATION_SENDER=recording}): keeps what would have been
 * sent in memory and, if {@code outbox} is given ({@code NOTIFICATIONS_OUTBOX_FILE}), appends it to
 * that file as one JSON line per e-mail, so a developer can watch the outbox with {@code tail -f}.
 * The message id is {@code rec-<orderId>-<OUTCOME>}.
 */
public final class RecordingNotificationSender implements NotificationSender {
  /** One lock for every instance: the local runtime may host several consumers writing one file. */
  private static final Object FILE_LOCK = new Object();

  private final Path outbox;
  private final Clock clock;
  private final List<Notification> sent = new ArrayList<>();

  public RecordingNotificationSender(Path outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** In memory only. */
  public static RecordingNotificationSender inMemory() {
    return new RecordingNotificationSender(null, Clock.systemUTC());
  }

  @Override
  public String send(Notification n) {
    String messageId = "rec-" + n.orderId() + "-" + n.outcome().name();
    if (outbox != null) {
      ObjectNode line = EventJson.mapper().createObjectNode()
          .put("messageId", messageId)
          .put("sentAt", clock.instant().toString())
          .put("orderId", n.orderId())
          .put("outcome", n.outcome().name())
          .put("to", n.to())
          .put("subject", n.subject())
          .put("body", n.body());
      synchronized (FILE_LOCK) {
        try {
          if (outbox.getParent() != null) {
            Files.createDirectories(outbox.getParent());
          }
          Files.writeString(outbox, EventJson.write(line) + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot append to the notifications outbox " + outbox, e);
        }
      }
    }
    synchronized (sent) {
      sent.add(n);
    }
    return messageId;
  }

  /** What was sent so far, oldest first. */
  public List<Notification> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }
}
