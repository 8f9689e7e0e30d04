# ---------------------------------------------------------------------------
# HTTP API (API Gateway v2) -> one function alias, routes from the manifest,
# JSON access logs (KMS, retention), stage throttling, 5xx alarm.
# ---------------------------------------------------------------------------

data "aws_caller_identity" "current" {}

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract = jsondecode(file("${path.module}/../../contract.json"))
  name     = replace(replace(replace(local.contract.names.function, "{env}", var.env), "{service}", var.service), "{name}", var.name)

  # "GET /orders/{id}" -> { method = "GET", path = "/orders/{id}" }
  routes = {
    for r in var.routes : r => {
      method = split(" ", r)[0]
      path   = split(" ", r)[1]
    }
  }
}

# ---------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------

module "function" {
  source = "../function"

  name                 = local.name
  description          = "HTTP API ${var.name} of ${var.service}: ${join(", ", var.routes)}."
  handler              = "${var.handler_class}::handleRequest"
  package_path         = var.package_path
  memory_mb            = var.function.memory_mb
  timeout_seconds      = var.function.timeout_seconds
  reserved_concurrency = var.function.reserved_concurrency
  environment          = var.function.environment
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  policy_statements    = var.policy_statements
  deployment           = var.deployment
  alarm_topic_arn      = var.alarm_topic_arn
  runbook_url_prefix   = var.runbook_url_prefix
  otel_layer_arn       = var.otel_layer_arn
  tags                 = var.tags
}

# ---------------------------------------------------------------------------
# API, integration, routes, stage
# ---------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "this" {
  name          = local.name
  description   = "HTTP API of ${var.service}."
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function.alias_invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = min(30000, var.function.timeout_seconds * 1000 + 1000)
}

# Every route is authorized: JWT (issuer and audience per environment, scopes per
# route from the manifest) or IAM. The local runtime checks tokens the same way.
resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.authorization.type == "jwt" ? 1 : 0

  api_id           = aws_apigatewayv2_api.this.id
  name             = "${local.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id               = aws_apigatewayv2_api.this.id
  route_key            = each.key
  target               = "integrations/${aws_apigatewayv2_integration.this.id}"
  authorization_type   = var.authorization.type == "jwt" ? "JWT" : "AWS_IAM"
  authorizer_id        = var.authorization.type == "jwt" ? aws_apigatewayv2_authorizer.jwt[0].id : null
  authorization_scopes = var.authorization.type == "jwt" ? lookup(var.authorization.scopes, each.key, []) : null

  lifecycle {
    precondition {
      condition     = var.authorization.type == "iam" || length(lookup(var.authorization.scopes, each.key, [])) > 0
      error_message = "Route ${each.key} has no scopes: every JWT-authorized route names the scopes of which a token needs one."
    }
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit   = var.throttling.burst_limit
    throttling_rate_limit    = var.throttling.rate_limit
    detailed_metrics_enabled = true
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId      = "$context.requestId"
      routeKey       = "$context.routeKey"
      status         = "$context.status"
      latencyMs      = "$context.responseLatency"
      integrationErr = "$context.integrationErrorMessage"
      sourceIp       = "$context.identity.sourceIp"
      requestTime    = "$context.requestTime"
      traceId        = "$context.xrayTraceId"
    })
  }

  tags = var.tags
}

# One permission per route, scoped to this API and that route.
resource "aws_lambda_permission" "this" {
  for_each = local.routes

  statement_id   = "ApiRoute-${replace(each.key, "/[^A-Za-z0-9]+/", "-")}"
  action         = "lambda:InvokeFunction"
  function_name  = module.function.function_name
  qualifier      = module.function.alias_name
  principal      = "apigateway.amazonaws.com"
  source_arn     = "${aws_apigatewayv2_api.this.execution_arn}/*/${each.value.method}${replace(each.value.path, "/\\{[^}]+\\}/", "*")}"
  source_account = data.aws_caller_identity.current.account_id
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "server_errors" {
  alarm_name          = "${local.name}-ApiServerErrors"
  alarm_description   = "${local.name} returned 5xx responses. Runbook: ${var.runbook_url_prefix}runbooks/ApiServerErrors.md"
  namespace           = local.contract.alarms.ApiServerErrors.namespace
  metric_name         = local.contract.alarms.ApiServerErrors.metric
  dimensions          = { (local.contract.alarms.ApiServerErrors.dimensions[0]) = aws_apigatewayv2_api.this.id, (local.contract.alarms.ApiServerErrors.dimensions[1]) = aws_apigatewayv2_stage.this.name }
  statistic           = local.contract.alarms.ApiServerErrors.statistic
  period              = local.contract.alarms.ApiServerErrors.period
  evaluation_periods  = local.contract.alarms.ApiServerErrors.evaluation_periods
  threshold           = coalesce(var.server_errors_threshold, local.contract.alarms.ApiServerErrors.threshold)
  comparison_operator = local.contract.alarms.ApiServerErrors.comparison
  treat_missing_data  = local.contract.alarms.ApiServerErrors.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
