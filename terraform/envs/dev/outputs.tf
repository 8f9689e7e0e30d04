output "event_bus_name" {
  description = "Name of the platform event bus producers publish to."
  value       = module.platform.event_bus_name
}

output "topic_arns" {
  description = "Domain topic of each publishing service."
  value       = module.platform.topic_arns
}

output "consumers" {
  description = "Every consumer: queue, DLQ and function names."
  value       = module.platform.consumers
}

output "subscriptions" {
  description = "Filter policy of every consumer's subscription, by `<service>-<consumer>` then publishing service (JSON)."
  value       = module.platform.subscriptions
}

output "api_endpoints" {
  description = "HTTP API endpoints, by service."
  value       = module.platform.api_endpoints
}

output "alarm_topic_arn" {
  description = "Alarm topic; subscribe the paging integration to it."
  value       = module.platform.alarm_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.platform.dashboard_name
}
