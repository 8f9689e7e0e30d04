output "topic_arn" {
  description = "ARN of the domain topic `<env>-<service>-events`."
  value       = aws_sns_topic.this.arn
}

output "topic_name" {
  description = "Name of the domain topic."
  value       = aws_sns_topic.this.name
}

output "rule_arn" {
  description = "ARN of the EventBridge rule that feeds the topic."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "rule_dlq_arn" {
  description = "ARN of the rule-target dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "alarm_arns" {
  description = "ARNs of the alarms of this topic and rule."
  value = [
    aws_cloudwatch_metric_alarm.rule_failed_invocations.arn,
    aws_cloudwatch_metric_alarm.rule_dlq_not_empty.arn,
    aws_cloudwatch_metric_alarm.sns_delivery_failures.arn,
  ]
}
