output "schedule_arn" {
  description = "ARN of the schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "function_name" {
  description = "Name of the job's function."
  value       = module.function.function_name
}

output "dlq_name" {
  description = "Name of the schedule DLQ, `<env>-<service>-<name>-dlq`."
  value       = aws_sqs_queue.dlq.name
}
