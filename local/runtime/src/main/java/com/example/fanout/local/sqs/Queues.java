package com.example.fanout.local.sqs;

import com.example.fanout.manifest.ServiceManifest.QueueSpec;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates queues the way the consumer Terraform module does: {@code <name>} with a redrive policy
 * to {@code <name>-dlq}, visibility timeout and maxReceiveCount from the manifest, FIFO when the name
 * ends in {@code .fifo} (the DLQ of a FIFO queue is FIFO too, as SQS requires).
 */
public final class Queues {
  private final SqsClient sqs;

  public Queues(SqsClient sqs) {
    this.sqs = sqs;
  }

  public QueueRef createWithDlq(String name, QueueSpec spec) {
    boolean fifo = name.endsWith(".fifo");
    String dlqName = fifo ? name.substring(0, name.length() - 5) + "-dlq.fifo" : name + "-dlq";
    QueueRef dlq = create(dlqName, Map.of());
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(spec.visibilityTimeoutSeconds()));
    attributes.put(QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + dlq.arn() + "\",\"maxReceiveCount\":\"" + spec.maxReceiveCount() + "\"}");
    QueueRef queue = create(name, attributes);
    return new QueueRef(queue.name(), queue.url(), queue.arn(), dlq.name(), dlq.url());
  }

  public QueueRef create(String name, Map<QueueAttributeName, String> attributes) {
    Map<QueueAttributeName, String> all = new HashMap<>(attributes);
    if (name.endsWith(".fifo")) {
      all.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    String url = sqs.createQueue(b -> b.queueName(name).attributes(all)).queueUrl();
    String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    return new QueueRef(name, url, arn, null, null);
  }

  /** Visible, in-flight and DLQ message counts (approximate, as SQS reports them). */
  public QueueDepth depth(QueueRef queue) {
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queue.url()).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    int dlq = 0;
    if (queue.dlqUrl() != null) {
      dlq = Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue.dlqUrl())
          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
          .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
    }
    return new QueueDepth(queue.name(),
        Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
        Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")),
        dlq);
  }

  public record QueueDepth(String queue, int visible, int inFlight, int dlq) {}
}
