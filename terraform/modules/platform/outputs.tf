output "event_bus_name" {
  description = "Name of the platform event bus producers publish to."
  value       = module.event_bus.bus_name
}

output "topic_arns" {
  description = "Domain topic of each publishing service."
  value       = { for name, t in module.domain_topic : name => t.topic_arn }
}

output "consumers" {
  description = "Every consumer: queue, DLQ and function names."
  value       = merge([for s in module.service : s.consumers]...)
}

output "subscriptions" {
  description = "Filter policy of every consumer's subscription, by `<service>-<consumer>` then publishing service (JSON)."
  value = merge([
    for svc, s in module.service : { for consumer, policies in s.subscriptions : "${svc}-${consumer}" => policies }
  ]...)
}

output "api_endpoints" {
  description = "HTTP API endpoints, by service."
  value       = { for name, s in module.service : name => s.api_endpoints if length(s.api_endpoints) > 0 }
}

output "alarm_topic_arn" {
  description = "Alarm topic; subscribe the paging integration to it."
  value       = module.observability.alarm_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.observability.dashboard_name
}
