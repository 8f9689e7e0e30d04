output "consumers" {
  description = "Every consumer of the service, by `<service>-<consumer>`: queue, DLQ and function names."
  value = {
    for name, c in module.consumer : "${local.service}-${name}" => {
      queue_name    = c.queue_name
      dlq_name      = c.dlq_name
      function_name = c.function_name
    }
  }
}

output "subscriptions" {
  description = "Filter policy of every subscription, by consumer then publishing service (JSON)."
  value       = { for name, c in module.consumer : name => c.filter_policies }
}

output "api_endpoints" {
  description = "Base URL of each HTTP API of the service."
  value       = { for name, a in module.http_api : name => a.api_endpoint }
}

output "table_names" {
  description = "Names of the service's tables, the idempotency table included."
  value       = concat([module.idempotency_table.table_name], [for t in module.table : t.table_name])
}

output "bucket_names" {
  description = "Names of the service's buckets."
  value       = [for b in module.bucket : b.bucket_name]
}
