output "api_endpoint" {
  description = "Base URL of the HTTP API."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "api_id" {
  description = "Id of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "function_name" {
  description = "Name of the function behind the API."
  value       = module.function.function_name
}

output "route_keys" {
  description = "Route keys the API serves."
  value       = keys(aws_apigatewayv2_route.this)
}
