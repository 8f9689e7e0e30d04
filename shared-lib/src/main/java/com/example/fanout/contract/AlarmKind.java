package com.example.fanout.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every alarm kind of the platform: what it watches and how CloudWatch evaluates it. Terraform's
 * modules take metric, namespace, dimension names, statistic, period, evaluation periods,
 * comparison and treat-missing-data from {@code terraform/contract.json}; the local runtime derives
 * the same alarms from the manifests with these values. Each kind has {@code runbooks/<kind>.md}.
 */
public enum AlarmKind {
  CONSUMER_DLQ_NOT_EMPTY("ConsumerDlqNotEmpty", Scope.CONSUMER, "dlq", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
      dims("QueueName", "dlq"), "Maximum", 60, 1, 0),
  QUEUE_MESSAGE_AGE_HIGH("QueueMessageAgeHigh", Scope.CONSUMER, "queue", "AWS/SQS", "ApproximateAgeOfOldestMessage",
      dims("QueueName", "queue"), "Maximum", 60, 5, 300),
  LAMBDA_ERRORS("LambdaErrors", Scope.FUNCTION, "function", "AWS/Lambda", "Errors",
      dims("FunctionName", "function"), "Sum", 300, 1, 0),
  LAMBDA_THROTTLES("LambdaThrottles", Scope.FUNCTION, "function", "AWS/Lambda", "Throttles",
      dims("FunctionName", "function"), "Sum", 300, 2, 0),
  API_SERVER_ERRORS("ApiServerErrors", Scope.HTTP_API, "function", "AWS/ApiGateway", "5xx",
      dims("ApiId", "api_id", "Stage", "stage"), "Sum", 300, 1, 5),
  STREAM_ITERATOR_AGE_HIGH("StreamIteratorAgeHigh", Scope.STREAM, "function", "AWS/Lambda", "IteratorAge",
      dims("FunctionName", "function"), "Maximum", 60, 5, 60_000),
  STREAM_DLQ_NOT_EMPTY("StreamDlqNotEmpty", Scope.STREAM, "dlq", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
      dims("QueueName", "dlq"), "Maximum", 60, 1, 0),
  SCHEDULE_DLQ_NOT_EMPTY("ScheduleDlqNotEmpty", Scope.SCHEDULE, "dlq", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
      dims("QueueName", "dlq"), "Maximum", 60, 1, 0),
  SCHEDULE_DLQ_SEND_FAILURES("ScheduleDlqSendFailures", Scope.SCHEDULE, "schedule_group", "AWS/Scheduler",
      "InvocationsFailedToBeSentToDeadLetterCount", dims("ScheduleGroup", "schedule_group"), "Sum", 60, 1, 0),
  BUCKET_EVENT_DLQ_NOT_EMPTY("BucketEventDlqNotEmpty", Scope.BUCKET_TRIGGER, "dlq", "AWS/SQS",
      "ApproximateNumberOfMessagesVisible", dims("QueueName", "dlq"), "Maximum", 60, 1, 0),
  DESTINATION_DELIVERY_FAILURES("DestinationDeliveryFailures", Scope.ON_FAILURE_DESTINATION, "function", "AWS/Lambda",
      "DestinationDeliveryFailures", dims("FunctionName", "function"), "Sum", 60, 1, 0),
  RULE_FAILED_INVOCATIONS("RuleFailedInvocations", Scope.PUBLISHER, "topic", "AWS/Events", "FailedInvocations",
      dims("EventBusName", "bus", "RuleName", "rule"), "Sum", 60, 1, 0),
  RULE_DLQ_SEND_FAILURES("RuleDlqSendFailures", Scope.PUBLISHER, "topic", "AWS/Events", "InvocationsFailedToBeSentToDlq",
      dims("EventBusName", "bus", "RuleName", "rule"), "Sum", 60, 1, 0),
  RULE_DLQ_NOT_EMPTY("RuleDlqNotEmpty", Scope.PUBLISHER, "rule_dlq", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
      dims("QueueName", "rule_dlq"), "Maximum", 60, 1, 0),
  SNS_DELIVERY_FAILURES("SnsDeliveryFailures", Scope.PUBLISHER, "topic", "AWS/SNS", "NumberOfNotificationsFailed",
      dims("TopicName", "topic"), "Sum", 300, 1, 0),
  SNS_REDRIVE_FAILURES("SnsRedriveFailures", Scope.PUBLISHER, "topic", "AWS/SNS", "NumberOfNotificationsFailedToRedriveToDlq",
      dims("TopicName", "topic"), "Sum", 60, 1, 0),
  SAGA_STUCK("SagaStuck", Scope.SAGA_WATCHDOG, "service", MetricNames.NAMESPACE, MetricNames.SAGA_STUCK,
      dims(MetricNames.SERVICE_DIMENSION, "service_name"), "Sum", 300, 1, 0);

  /** What one alarm of the kind is attached to. */
  public enum Scope {
    /** every consumer of a manifest (its queue and DLQ) */
    CONSUMER,
    /** every function: consumers, HTTP APIs, stream relays, schedules and bucket triggers */
    FUNCTION,
    HTTP_API,
    STREAM,
    SCHEDULE,
    /** a bucket with a handler */
    BUCKET_TRIGGER,
    /**
     * every function whose trigger sends what it gave up on to an on-failure destination: stream
     * relays, schedules and bucket triggers
     */
    ON_FAILURE_DESTINATION,
    /** every publishing service: its rule, rule DLQ and topic */
    PUBLISHER,
    /** the service that publishes the {@code SagaStuck} event type (its watchdog emits the metric) */
    SAGA_WATCHDOG
  }

  public static final String COMPARISON = "GreaterThanThreshold";
  public static final String TREAT_MISSING_DATA = "notBreaching";

  private final String kind;
  private final Scope scope;
  private final String alarmedResource;
  private final String namespace;
  private final String metric;
  private final Map<String, String> dimensions;
  private final String statistic;
  private final int periodSeconds;
  private final int evaluationPeriods;
  private final double defaultThreshold;

  AlarmKind(String kind, Scope scope, String alarmedResource, String namespace, String metric, Map<String, String> dimensions,
      String statistic, int periodSeconds, int evaluationPeriods, double defaultThreshold) {
    this.kind = kind;
    this.scope = scope;
    this.alarmedResource = alarmedResource;
    this.namespace = namespace;
    this.metric = metric;
    this.dimensions = dimensions;
    this.statistic = statistic;
    this.periodSeconds = periodSeconds;
    this.evaluationPeriods = evaluationPeriods;
    this.defaultThreshold = defaultThreshold;
  }

  /** The name in alarm names and of the runbook ({@code ConsumerDlqNotEmpty}). */
  public String kind() {
    return kind;
  }

  public Scope scope() {
    return scope;
  }

  /** Key of the {@link ResourceNames#patterns() name pattern} the alarm name starts with. */
  public String alarmedResource() {
    return alarmedResource;
  }

  public String namespace() {
    return namespace;
  }

  public String metric() {
    return metric;
  }

  /**
   * Dimension name to what fills it: a {@link ResourceNames#patterns() name pattern} key, or
   * {@code api_id} / {@code stage} (the API's id and stage) or {@code service_name} (the bare service).
   */
  public Map<String, String> dimensions() {
    return dimensions;
  }

  public String statistic() {
    return statistic;
  }

  public int periodSeconds() {
    return periodSeconds;
  }

  public int evaluationPeriods() {
    return evaluationPeriods;
  }

  /** All evaluation periods must breach (Terraform leaves datapoints_to_alarm unset). */
  public int datapointsToAlarm() {
    return evaluationPeriods;
  }

  /** The threshold unless the module's variable overrides it. */
  public double defaultThreshold() {
    return defaultThreshold;
  }

  public String comparison() {
    return COMPARISON;
  }

  public String treatMissingData() {
    return TREAT_MISSING_DATA;
  }

  public String runbook() {
    return "runbooks/" + kind + ".md";
  }

  public static AlarmKind of(String kind) {
    for (AlarmKind k : values()) {
      if (k.kind.equals(kind)) {
        return k;
      }
    }
    throw new IllegalArgumentException("no alarm kind " + kind);
  }

  private static Map<String, String> dims(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
