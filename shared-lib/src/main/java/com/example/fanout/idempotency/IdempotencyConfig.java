package com.example.fanout.idempotency;

import com.example.fanout.contract.QueueRetention;
import com.example.fanout.runtime.FunctionVariable;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * @param expiry how long a COMPLETED record keeps deduplicating its event. It must cover the longest
 *               path by which the same event can come back to the handler (ADR 0061): EventBridge
 *               retries a target for up to 24 hours, the message may then wait in the consumer's
 *               queue for its retention and, after {@code max_receive_count}, in the DLQ for its
 *               retention before an operator redrives it.
 */
public record IdempotencyConfig(Duration expiry) {
  /** How long EventBridge retries delivery to a target before giving up. */
  public static final Duration EVENTBRIDGE_RETRY_WINDOW = Duration.ofHours(24);
  /** SQS's default queue retention and maximum DLQ retention: the platform's defaults. */
  public static final Duration DEFAULT_EXPIRY =
      longestPath(Duration.ofSeconds(QueueRetention.QUEUE_SECONDS), Duration.ofSeconds(QueueRetention.DLQ_SECONDS));

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyConfig.class);

  public IdempotencyConfig {
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("idempotency expiry must be positive");
    }
  }

  public static IdempotencyConfig defaults() {
    return new IdempotencyConfig(DEFAULT_EXPIRY);
  }

  /** EventBridge's retry window plus the queue's and the DLQ's retention. */
  public static Duration longestPath(Duration queueRetention, Duration dlqRetention) {
    return EVENTBRIDGE_RETRY_WINDOW.plus(queueRetention).plus(dlqRetention);
  }

  /**
   * The longest path from {@code QUEUE_RETENTION_SECONDS} and {@code DLQ_RETENTION_SECONDS} (set by
   * Terraform from the queues it creates), or {@code IDEMPOTENCY_EXPIRY_SECONDS} if set and at least
   * that long; a shorter explicit value is logged as a warning and the longest path used.
   */
  public static IdempotencyConfig fromEnvironment() {
    Duration path = longestPath(
        Duration.ofSeconds(FunctionVariable.QUEUE_RETENTION_SECONDS.readWhole().orElseThrow()),
        Duration.ofSeconds(FunctionVariable.DLQ_RETENTION_SECONDS.readWhole().orElseThrow()));
    return FunctionVariable.IDEMPOTENCY_EXPIRY_SECONDS.readWhole().map(Duration::ofSeconds).map(explicit -> {
      if (explicit.compareTo(path) < 0) {
        LOG.warn("IDEMPOTENCY_EXPIRY_SECONDS {} is shorter than the longest path back to the handler ({} s: EventBridge"
            + " retries + QUEUE_RETENTION_SECONDS + DLQ_RETENTION_SECONDS); using {} s", explicit.toSeconds(),
            path.toSeconds(), path.toSeconds());
        return new IdempotencyConfig(path);
      }
      return new IdempotencyConfig(explicit);
    }).orElseGet(() -> new IdempotencyConfig(path));
  }
}
