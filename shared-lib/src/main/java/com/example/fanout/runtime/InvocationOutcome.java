package com.example.fanout.runtime;

/**
 * What one invocation of a non-SQS function did, for its metrics: how many items (requests, stream
 * records, objects) it handled and how many of those failed, counted as the consumers count records.
 */
public record InvocationOutcome(int processed, int failed) {
  public InvocationOutcome {
    if (processed < 0 || failed < 0) {
      throw new IllegalArgumentException("counts must be 0 or more, were " + processed + " and " + failed);
    }
  }

  /** One item, handled. */
  public static InvocationOutcome ok() {
    return new InvocationOutcome(1, 0);
  }

  /** One item, failed (an HTTP 5xx answer, a job that did not complete). */
  public static InvocationOutcome failure() {
    return new InvocationOutcome(0, 1);
  }

  /** {@code total} items of which {@code failed} failed (a stream batch with partial failures). */
  public static InvocationOutcome ofBatch(int total, int failed) {
    return new InvocationOutcome(Math.max(0, total - failed), failed);
  }
}
