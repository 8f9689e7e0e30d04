package com.example.fanout.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The SQS calls the commands share: URLs by name, depths, and peeking without consuming. */
final class Queues {
  private final SqsClient sqs;

  Queues(SqsClient sqs) {
    this.sqs = sqs;
  }

  Optional<String> url(String name) {
    try {
      return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    } catch (QueueDoesNotExistException e) {
      return Optional.empty();
    }
  }

  String requireUrl(String name) {
    return url(name).orElseThrow(() -> new OpsException(Fanout.REFUSED, "queue " + name + " does not exist"
        + " (check --env / $ENV and the name: <service>-<consumer> as in the manifest)"));
  }

  Map<QueueAttributeName, String> attributes(String url, QueueAttributeName... names) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(names)).attributes();
  }

  String arn(String url) {
    return attributes(url, QueueAttributeName.QUEUE_ARN).get(QueueAttributeName.QUEUE_ARN);
  }

  Depth depth(String url) {
    Map<QueueAttributeName, String> a = attributes(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    return new Depth(number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
  }

  /**
   * Up to {@code max} distinct messages received with visibility timeout 0, so they stay available
   * to everyone else at once. Only for DLQs: on a queue with a redrive policy every receive counts
   * towards {@code maxReceiveCount}.
   */
  List<Message> peek(String url, int max) {
    Map<String, Message> seen = new LinkedHashMap<>();
    int emptyOrRepeated = 0;
    while (seen.size() < max && emptyOrRepeated < 3) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(Math.min(10, max - seen.size()))
          .visibilityTimeout(0).waitTimeSeconds(0).messageAttributeNames("All")
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      int before = seen.size();
      batch.forEach(m -> seen.putIfAbsent(m.messageId(), m));
      emptyOrRepeated = seen.size() == before ? emptyOrRepeated + 1 : 0;
    }
    return new ArrayList<>(seen.values());
  }

  /** Age of the oldest of the peeked messages (SentTimestamp survives the move to a DLQ). */
  static Optional<Duration> oldest(List<Message> messages, Instant now) {
    return messages.stream()
        .map(m -> m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP))
        .filter(s -> s != null && !s.isBlank())
        .map(s -> Instant.ofEpochMilli(Long.parseLong(s)))
        .min(Instant::compareTo)
        .map(t -> Duration.between(t, now).isNegative() ? Duration.ZERO : Duration.between(t, now));
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60) + "s";
    }
    if (s < 86_400) {
      return (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
    return (s / 86_400) + "d" + (s % 86_400 / 3600) + "h";
  }

  private static long number(String value) {
    return value == null || value.isBlank() ? 0 : Long.parseLong(value);
  }

  record Depth(long visible, long inFlight, long delayed) {}
}
