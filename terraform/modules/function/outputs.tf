output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Unqualified ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "alias_arn" {
  description = "ARN of the alias `live`, what every trigger invokes. Available once the role policy exists."
  value       = aws_lambda_alias.this.arn
  depends_on  = [aws_iam_role_policy.this]
}

output "alias_invoke_arn" {
  description = "Invoke ARN of the alias `live` (API Gateway integrations)."
  value       = aws_lambda_alias.this.invoke_arn
}

output "alias_name" {
  description = "Name of the alias (`live`)."
  value       = aws_lambda_alias.this.name
}

output "version" {
  description = "Version published by the last apply."
  value       = aws_lambda_function.this.version
}

output "role_name" {
  description = "Name of the execution role."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}
