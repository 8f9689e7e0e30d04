output "function_name" {
  description = "Name of the relay function."
  value       = module.function.function_name
}

output "dlq_arn" {
  description = "ARN of the on-failure DLQ."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_name" {
  description = "Name of the on-failure DLQ, `<env>-<service>-<name>-dlq`."
  value       = aws_sqs_queue.dlq.name
}

output "event_source_mapping_uuid" {
  description = "UUID of the stream mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}
