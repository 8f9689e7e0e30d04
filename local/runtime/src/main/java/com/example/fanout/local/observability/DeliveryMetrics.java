package com.example.fanout.local.observability;

/**
 * Where the local EventBridge and SNS report deliveries, for a collector that keeps the CloudWatch
 * metrics AWS publishes (and evaluates alarms on them). Every method may be called from several
 * delivery threads at once.
 */
public interface DeliveryMetrics {
  DeliveryMetrics NONE = new DeliveryMetrics() {};

  /** AWS/Events {@code Invocations} (dimension RuleName): one attempt to deliver one event to the rule's target. */
  default void invocation(String ruleName) {}

  /** AWS/Events {@code FailedInvocations}: an event the rule could not deliver for good (retries exhausted or not retryable). */
  default void failedInvocation(String ruleName) {}

  /** AWS/Events {@code InvocationsSentToDlq}: that event was written to the rule target's DLQ. */
  default void sentToDlq(String ruleName) {}

  /** AWS/Events {@code InvocationsFailedToBeSentToDlq}: that event could not be written to the DLQ, and is lost. */
  default void failedToBeSentToDlq(String ruleName) {}

  /** AWS/SNS {@code NumberOfNotificationsDelivered} (dimension TopicName). */
  default void notificationDelivered(String topicName) {}

  /** AWS/SNS {@code NumberOfNotificationsFailed}: a delivery to a subscription that failed. */
  default void notificationFailed(String topicName) {}

  /** AWS/SNS {@code NumberOfNotificationsFailedToRedriveToDlq}: that delivery could not be written to the subscription's DLQ, and is lost. */
  default void notificationFailedToRedrive(String topicName) {}

  /** Both collectors, each told of every delivery. */
  static DeliveryMetrics both(DeliveryMetrics first, DeliveryMetrics second) {
    return new DeliveryMetrics() {
      @Override public void invocation(String ruleName) { first.invocation(ruleName); second.invocation(ruleName); }
      @Override public void failedInvocation(String ruleName) { first.failedInvocation(ruleName); second.failedInvocation(ruleName); }
      @Override public void sentToDlq(String ruleName) { first.sentToDlq(ruleName); second.sentToDlq(ruleName); }
      @Override public void failedToBeSentToDlq(String ruleName) { first.failedToBeSentToDlq(ruleName); second.failedToBeSentToDlq(ruleName); }
      @Override public void notificationDelivered(String topic) { first.notificationDelivered(topic); second.notificationDelivered(topic); }
      @Override public void notificationFailed(String topic) { first.notificationFailed(topic); second.notificationFailed(topic); }
      @Override public void notificationFailedToRedrive(String topic) { first.notificationFailedToRedrive(topic); second.notificationFailedToRedrive(topic); }
    };
  }
}
