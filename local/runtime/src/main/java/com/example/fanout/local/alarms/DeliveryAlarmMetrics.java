package com.example.fanout.local.alarms;

import com.example.fanout.local.observability.DeliveryMetrics;
import java.util.Map;

/**
 * The local EventBridge's and SNS's deliveries as the CloudWatch metrics AWS publishes for them
 * ({@code AWS/Events} per bus and rule, {@code AWS/SNS} per topic), for the local alarms. The sink is
 * set once the alarms exist; until then nothing is counted.
 */
public final class DeliveryAlarmMetrics implements DeliveryMetrics {
  private final String busName;
  private volatile MetricSink sink = MetricSink.NONE;

  public DeliveryAlarmMetrics(String busName) {
    this.busName = busName;
  }

  public void reportTo(MetricSink value) {
    this.sink = value;
  }

  @Override
  public void invocation(String ruleName) {
    events("Invocations", ruleName);
  }

  @Override
  public void failedInvocation(String ruleName) {
    events("FailedInvocations", ruleName);
  }

  @Override
  public void sentToDlq(String ruleName) {
    events("InvocationsSentToDlq", ruleName);
  }

  @Override
  public void failedToBeSentToDlq(String ruleName) {
    events("InvocationsFailedToBeSentToDlq", ruleName);
  }

  @Override
  public void notificationDelivered(String topicName) {
    sink.put("AWS/SNS", "NumberOfNotificationsDelivered", Map.of("TopicName", topicName), 1);
  }

  @Override
  public void notificationFailed(String topicName) {
    sink.put("AWS/SNS", "NumberOfNotificationsFailed", Map.of("TopicName", topicName), 1);
  }

  @Override
  public void notificationFailedToRedrive(String topicName) {
    sink.put("AWS/SNS", "NumberOfNotificationsFailedToRedriveToDlq", Map.of("TopicName", topicName), 1);
  }

  private void events(String metric, String ruleName) {
    sink.put("AWS/Events", metric, Map.of("EventBusName", busName, "RuleName", ruleName), 1);
  }
}
