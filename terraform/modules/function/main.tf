# ---------------------------------------------------------------------------
# One Java 21 Lambda function with everything it needs to run in production:
# execution role (exact ARNs only), KMS-encrypted log group with retention,
# X-Ray tracing, SnapStart on a published version behind the alias `live`
# (canary routing in prod), reserved concurrency, error/throttle alarms, and
# the on-failure destination of its trigger with its grant and alarm.
# Every trigger (SQS mapping, API, stream, schedule, S3) targets the alias.
# ---------------------------------------------------------------------------

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract       = jsondecode(file("${path.module}/../../contract.json"))
  log_group_name = "/aws/lambda/${var.name}"
  log_group_arn  = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"

  # ADR 0066: a function on the OpenTelemetry tracer exports OTLP to the collector of the ADOT
  # layer, which sends X-Ray segments; Lambda keeps recording its own (Active tracing).
  uses_otel = lookup(var.environment, local.contract.environment.tracer, "") == "otel"

  # Canary: the alias stays on the stable version and sends canary_weight of
  # the invocations to the version just published.
  is_canary = (
    var.deployment.strategy == "canary" &&
    var.deployment.stable_version != null &&
    var.deployment.stable_version != aws_lambda_function.this.version
  )
}

# ---------------------------------------------------------------------------
# Execution role
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "LambdaAssumesTheRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-role"
  description        = "Execution role of ${var.name}."
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  # X-Ray has no resource-level permissions: "*" is the only valid resource.
  statement {
    sid       = "WriteTraces"
    effect    = "Allow"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  statement {
    sid       = "UsePlatformKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  # Lambda writes the on-failure destination with the function's role.
  dynamic "statement" {
    for_each = var.on_failure == null ? [] : [var.on_failure.queue_arn]
    content {
      sid       = "SendFailuresToDlq"
      effect    = "Allow"
      actions   = ["sqs:SendMessage"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = statement.value.sid
      effect    = "Allow"
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

# ---------------------------------------------------------------------------
# Log group
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# ---------------------------------------------------------------------------
# Function, published version (SnapStart) and alias `live`
# ---------------------------------------------------------------------------

resource "aws_lambda_function" "this" {
  function_name                  = var.name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  runtime                        = "java21"
  architectures                  = ["x86_64"]
  handler                        = var.handler
  filename                       = var.package_path
  source_code_hash               = filebase64sha256(var.package_path)
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency
  publish                        = true
  kms_key_arn                    = var.kms_key_arn
  layers                         = local.uses_otel ? [var.otel_layer_arn] : []

  environment {
    variables = merge({
      JAVA_TOOL_OPTIONS = local.contract.java_tool_options
    }, var.environment, local.uses_otel ? { AWS_LAMBDA_EXEC_WRAPPER = "/opt/otel-handler" } : {})
  }

  tracing_config {
    mode = "Active"
  }

  snap_start {
    apply_on = "PublishedVersions"
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = "INFO"
    system_log_level      = "WARN"
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.this]

  lifecycle {
    precondition {
      condition     = !local.uses_otel || try(split(":", var.otel_layer_arn)[3] == data.aws_region.current.region && startswith(var.otel_layer_arn, "arn:${data.aws_partition.current.partition}:lambda:"), false)
      error_message = "${var.name} selects FANOUT_TRACER = otel: set otel_layer_arn to the ADOT Lambda layer version of this region (${data.aws_region.current.region})."
    }
  }
}

resource "aws_lambda_alias" "this" {
  name             = "live"
  description      = "What the triggers invoke; moved by canary or all at once."
  function_name    = aws_lambda_function.this.function_name
  function_version = local.is_canary ? var.deployment.stable_version : aws_lambda_function.this.version

  dynamic "routing_config" {
    for_each = local.is_canary ? [aws_lambda_function.this.version] : []
    content {
      additional_version_weights = { (routing_config.value) = var.deployment.canary_weight }
    }
  }
}

# An asynchronously invoked function (S3, EventBridge Scheduler) retries a failed event, then sends
# its record to the on-failure destination instead of discarding it.
resource "aws_lambda_function_event_invoke_config" "this" {
  count = try(var.on_failure.async_retry, null) == null ? 0 : 1

  function_name                = aws_lambda_function.this.function_name
  qualifier                    = aws_lambda_alias.this.name
  maximum_retry_attempts       = var.on_failure.async_retry.maximum_retry_attempts
  maximum_event_age_in_seconds = var.on_failure.async_retry.maximum_event_age_in_seconds

  destination_config {
    on_failure {
      destination = var.on_failure.queue_arn
    }
  }

  depends_on = [aws_iam_role_policy.this]
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.name}-LambdaErrors"
  alarm_description   = "${var.name} reported errors. Runbook: ${var.runbook_url_prefix}runbooks/LambdaErrors.md"
  namespace           = local.contract.alarms.LambdaErrors.namespace
  metric_name         = local.contract.alarms.LambdaErrors.metric
  dimensions          = { (local.contract.alarms.LambdaErrors.dimensions[0]) = aws_lambda_function.this.function_name }
  statistic           = local.contract.alarms.LambdaErrors.statistic
  period              = local.contract.alarms.LambdaErrors.period
  evaluation_periods  = local.contract.alarms.LambdaErrors.evaluation_periods
  threshold           = coalesce(var.errors_threshold, local.contract.alarms.LambdaErrors.threshold)
  comparison_operator = local.contract.alarms.LambdaErrors.comparison
  treat_missing_data  = local.contract.alarms.LambdaErrors.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name          = "${var.name}-LambdaThrottles"
  alarm_description   = "${var.name} is throttled at its reserved concurrency. Runbook: ${var.runbook_url_prefix}runbooks/LambdaThrottles.md"
  namespace           = local.contract.alarms.LambdaThrottles.namespace
  metric_name         = local.contract.alarms.LambdaThrottles.metric
  dimensions          = { (local.contract.alarms.LambdaThrottles.dimensions[0]) = aws_lambda_function.this.function_name }
  statistic           = local.contract.alarms.LambdaThrottles.statistic
  period              = local.contract.alarms.LambdaThrottles.period
  evaluation_periods  = local.contract.alarms.LambdaThrottles.evaluation_periods
  threshold           = local.contract.alarms.LambdaThrottles.threshold
  comparison_operator = local.contract.alarms.LambdaThrottles.comparison
  treat_missing_data  = local.contract.alarms.LambdaThrottles.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

# What Lambda could not write to the on-failure destination is lost: nothing else records it.
resource "aws_cloudwatch_metric_alarm" "destination_delivery_failures" {
  count = var.on_failure == null ? 0 : 1

  alarm_name          = "${var.name}-DestinationDeliveryFailures"
  alarm_description   = "Lambda could not send what ${var.name}'s trigger gave up on to its on-failure destination: those events are lost. Runbook: ${var.runbook_url_prefix}runbooks/DestinationDeliveryFailures.md"
  namespace           = local.contract.alarms.DestinationDeliveryFailures.namespace
  metric_name         = local.contract.alarms.DestinationDeliveryFailures.metric
  dimensions          = { (local.contract.alarms.DestinationDeliveryFailures.dimensions[0]) = aws_lambda_function.this.function_name }
  statistic           = local.contract.alarms.DestinationDeliveryFailures.statistic
  period              = local.contract.alarms.DestinationDeliveryFailures.period
  evaluation_periods  = local.contract.alarms.DestinationDeliveryFailures.evaluation_periods
  threshold           = local.contract.alarms.DestinationDeliveryFailures.threshold
  comparison_operator = local.contract.alarms.DestinationDeliveryFailures.comparison
  treat_missing_data  = local.contract.alarms.DestinationDeliveryFailures.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
