output "bucket_name" {
  description = "Name of the bucket, `<env>-<service>-<name>-<account id>`."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "function_name" {
  description = "Name of the notification function, null without one."
  value       = one(module.function[*].function_name)
}

output "dlq_name" {
  description = "Name of the on-failure DLQ of the notification function, null without one."
  value       = one(aws_sqs_queue.dlq[*].name)
}
