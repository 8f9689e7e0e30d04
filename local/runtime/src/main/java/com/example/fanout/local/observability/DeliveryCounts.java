package com.example.fanout.local.observability;

import java.util.concurrent.atomic.AtomicLong;

/** Counts each delivery metric over every rule and topic: for a run's report, or a test's assertions. */
public final class DeliveryCounts implements DeliveryMetrics {
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong failedInvocations = new AtomicLong();
  private final AtomicLong sentToDlq = new AtomicLong();
  private final AtomicLong failedToBeSentToDlq = new AtomicLong();
  private final AtomicLong notificationsDelivered = new AtomicLong();
  private final AtomicLong notificationsFailed = new AtomicLong();
  private final AtomicLong notificationsFailedToRedrive = new AtomicLong();

  @Override
  public void invocation(String ruleName) {
    invocations.incrementAndGet();
  }

  @Override
  public void failedInvocation(String ruleName) {
    failedInvocations.incrementAndGet();
  }

  @Override
  public void sentToDlq(String ruleName) {
    sentToDlq.incrementAndGet();
  }

  @Override
  public void failedToBeSentToDlq(String ruleName) {
    failedToBeSentToDlq.incrementAndGet();
  }

  @Override
  public void notificationDelivered(String topicName) {
    notificationsDelivered.incrementAndGet();
  }

  @Override
  public void notificationFailed(String topicName) {
    notificationsFailed.incrementAndGet();
  }

  @Override
  public void notificationFailedToRedrive(String topicName) {
    notificationsFailedToRedrive.incrementAndGet();
  }

  /** AWS/Events {@code Invocations}. */
  public long invocations() {
    return invocations.get();
  }

  /** AWS/Events {@code FailedInvocations}. */
  public long failedInvocations() {
    return failedInvocations.get();
  }

  /** AWS/Events {@code InvocationsSentToDlq}. */
  public long sentToDlq() {
    return sentToDlq.get();
  }

  /** AWS/Events {@code InvocationsFailedToBeSentToDlq}. */
  public long failedToBeSentToDlq() {
    return failedToBeSentToDlq.get();
  }

  /** AWS/SNS {@code NumberOfNotificationsDelivered}. */
  public long notificationsDelivered() {
    return notificationsDelivered.get();
  }

  /** AWS/SNS {@code NumberOfNotificationsFailed}. */
  public long notificationsFailed() {
    return notificationsFailed.get();
  }

  /** AWS/SNS {@code NumberOfNotificationsFailedToRedriveToDlq}. */
  public long notificationsFailedToRedrive() {
    return notificationsFailedToRedrive.get();
  }
}
