output "schedule_arn" {
  description = "ARN of the schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "schedule_group_name" {
  description = "Name of the schedule's own group, `<env>-<service>-<name>`, the `ScheduleGroup` dimension of its scheduler metrics."
  value       = aws_scheduler_schedule_group.this.name
}

output "function_name" {
  description = "Name of the job's function."
  value       = module.function.function_name
}

output "dlq_name" {
  description = "Name of the schedule DLQ, `<env>-<service>-<name>-dlq`."
  value       = aws_sqs_queue.dlq.name
}
