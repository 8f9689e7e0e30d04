package com.example.fanout.contract;

/**
 * How long a consumer's queue and its DLQ keep a message: SQS's default for the queue (4 days), its
 * maximum for the DLQ (14 days), so that an operator has two weeks to redrive. Terraform's consumer
 * module creates the queues with these (from {@code contract.json}) and passes them to the function
 * as {@link EnvironmentNames#QUEUE_RETENTION_SECONDS} and {@link EnvironmentNames#DLQ_RETENTION_SECONDS};
 * the local runtime does the same, and the function runtime falls back to them when they are unset.
 */
public final class QueueRetention {
  public static final long QUEUE_SECONDS = 4L * 24 * 3600;
  public static final long DLQ_SECONDS = 14L * 24 * 3600;

  private QueueRetention() {}
}
