output "queue_arn" {
  description = "ARN of the consumer's queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_name" {
  description = "Name of the consumer's queue, `<env>-<service>-<name>`."
  value       = aws_sqs_queue.this.name
}

output "dlq_arn" {
  description = "ARN of the consumer's dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_name" {
  description = "Name of the consumer's dead-letter queue, `<env>-<service>-<name>-dlq`."
  value       = aws_sqs_queue.dlq.name
}

output "function_name" {
  description = "Name of the consumer's function."
  value       = module.function.function_name
}

output "subscription_arns" {
  description = "ARN of each subscription, by publishing service."
  value       = { for k, s in aws_sns_topic_subscription.this : k => s.arn }
}

output "filter_policies" {
  description = "Filter policy of each subscription, by publishing service (JSON)."
  value       = { for k, s in aws_sns_topic_subscription.this : k => s.filter_policy }
}
