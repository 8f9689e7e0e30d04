package com.example.fanout.contract;

import java.util.List;

/**
 * The message attributes the consumer runtime puts on what it moves to a DLQ, which
 * {@code fanout dlq inspect} reads back. Attributes without the {@link #PREFIX} come from AWS
 * (EventBridge, Scheduler: {@code ERROR_CODE}, {@code ERROR_MESSAGE}).
 */
public final class DeadLetterAttributes {
  public static final String PREFIX = "fanout-";
  public static final String REASON = PREFIX + "failure-reason";
  public static final String FAILURE_CLASS = PREFIX + "failure-class";
  public static final String CONSUMER = PREFIX + "consumer";
  public static final String SOURCE_QUEUE = PREFIX + "source-queue";
  public static final String ORIGINAL_MESSAGE_ID = PREFIX + "original-message-id";

  public static final List<String> ALL = List.of(REASON, FAILURE_CLASS, CONSUMER, SOURCE_QUEUE, ORIGINAL_MESSAGE_ID);

  private DeadLetterAttributes() {}
}
