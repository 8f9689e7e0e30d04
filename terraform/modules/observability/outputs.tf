output "alarm_topic_arn" {
  description = "ARN of the alarm topic every alarm notifies (subscribe the paging integration to it)."
  value       = aws_sns_topic.this.arn
}

output "dashboard_name" {
  description = "Name of the platform dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
