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

  /** AWS/SNS {@code NumberOfNotificationsDelivered} (dimension TopicName). */
  default void notificationDelivered(String topicName) {}

  /** AWS/SNS {@code NumberOfNotificationsFailed}: a delivery to a subscription that failed. */
  default void notificationFailed(String topicName) {}
}
