# ---------------------------------------------------------------------------
# EventBridge Scheduler job -> function alias, with a retry policy and a DLQ, which also keeps the
# runs the function failed. The scheduler's role may invoke only this alias and write only this DLQ.
# The schedule has a group of its own: the scheduler publishes its metrics per group (ADR 0118).
# ---------------------------------------------------------------------------

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract     = jsondecode(file("${path.module}/../../contract.json"))
  name         = replace(replace(replace(local.contract.names.function, "{env}", var.env), "{service}", var.service), "{name}", var.name)
  group        = replace(replace(replace(local.contract.names.schedule_group, "{env}", var.env), "{service}", var.service), "{name}", var.name)
  schedule_arn = "arn:${data.aws_partition.current.partition}:scheduler:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:schedule/${local.group}/${local.name}"
}

# ---------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------

module "function" {
  source = "../function"

  name                 = local.name
  description          = "Scheduled job ${var.name} of ${var.service}: ${var.schedule_expression}."
  handler              = "${var.handler_class}::handleRequest"
  package_path         = var.package_path
  memory_mb            = var.function.memory_mb
  timeout_seconds      = var.function.timeout_seconds
  reserved_concurrency = var.function.reserved_concurrency
  environment          = var.function.environment
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  deployment           = var.deployment
  alarm_topic_arn      = var.alarm_topic_arn
  runbook_url_prefix   = var.runbook_url_prefix
  otel_layer_arn       = var.otel_layer_arn
  tags                 = var.tags

  policy_statements = var.policy_statements

  # A run the function fails is retried by Lambda's asynchronous invocation, then recorded in the same
  # DLQ as the runs the scheduler could not deliver, instead of being discarded.
  on_failure = {
    queue_arn   = aws_sqs_queue.dlq.arn
    async_retry = var.async_retry
  }
}

moved {
  from = aws_lambda_function_event_invoke_config.this
  to   = module.function.aws_lambda_function_event_invoke_config.this[0]
}

# ---------------------------------------------------------------------------
# DLQ: runs the scheduler could not deliver, and runs that failed every attempt
# ---------------------------------------------------------------------------

resource "aws_sqs_queue" "dlq" {
  name                      = replace(replace(replace(local.contract.names.dlq, "{env}", var.env), "{service}", var.service), "{name}", var.name)
  message_retention_seconds = var.dlq_retention_seconds
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

data "aws_iam_policy_document" "dlq" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes"]
    resources = [aws_sqs_queue.dlq.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.dlq.json
}

# ---------------------------------------------------------------------------
# Scheduler role: invoke this alias, write this DLQ, use the key
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "SchedulerAssumesTheRoleForThisSchedule"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.schedule_arn]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${local.name}-scheduler"
  description        = "EventBridge Scheduler role of ${local.name}."
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeTheJob"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [module.function.alias_arn]
  }

  statement {
    sid       = "WriteTheDlq"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]
  }

  statement {
    sid       = "UsePlatformKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "${local.name}-scheduler"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

# ---------------------------------------------------------------------------
# Schedule, in a group of its own
# ---------------------------------------------------------------------------

resource "aws_scheduler_schedule_group" "this" {
  name = local.group
  tags = var.tags
}

resource "aws_scheduler_schedule" "this" {
  name                         = local.name
  group_name                   = aws_scheduler_schedule_group.this.name
  description                  = "Runs ${module.function.function_name} on ${var.schedule_expression}."
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.timezone
  kms_key_arn                  = var.kms_key_arn
  state                        = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = module.function.alias_arn
    role_arn = aws_iam_role.scheduler.arn
    # A Scheduled Event the scheduler fills in at each run (id, time, schedule ARN), as the local runtime does.
    input = local.contract.schedule_input

    retry_policy {
      maximum_retry_attempts       = var.retry.maximum_retry_attempts
      maximum_event_age_in_seconds = var.retry.maximum_event_age_in_seconds
    }

    dead_letter_config {
      arn = aws_sqs_queue.dlq.arn
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]

  # A schedule's group cannot change in place: the one in its new group is created before the old
  # one is deleted, so that moving to a group of its own misses no run.
  lifecycle {
    create_before_destroy = true
  }
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${local.name}-dlq-ScheduleDlqNotEmpty"
  alarm_description   = "Runs of ${local.name} the scheduler could not deliver, or that failed every attempt, are in ${aws_sqs_queue.dlq.name}. Runbook: ${var.runbook_url_prefix}runbooks/ScheduleDlqNotEmpty.md"
  namespace           = local.contract.alarms.ScheduleDlqNotEmpty.namespace
  metric_name         = local.contract.alarms.ScheduleDlqNotEmpty.metric
  dimensions          = { (local.contract.alarms.ScheduleDlqNotEmpty.dimensions[0]) = aws_sqs_queue.dlq.name }
  statistic           = local.contract.alarms.ScheduleDlqNotEmpty.statistic
  period              = local.contract.alarms.ScheduleDlqNotEmpty.period
  evaluation_periods  = local.contract.alarms.ScheduleDlqNotEmpty.evaluation_periods
  threshold           = local.contract.alarms.ScheduleDlqNotEmpty.threshold
  comparison_operator = local.contract.alarms.ScheduleDlqNotEmpty.comparison
  treat_missing_data  = local.contract.alarms.ScheduleDlqNotEmpty.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dlq_send_failures" {
  alarm_name          = "${local.group}-ScheduleDlqSendFailures"
  alarm_description   = "Runs of ${local.name} the scheduler could neither deliver nor write to ${aws_sqs_queue.dlq.name} are lost. Runbook: ${var.runbook_url_prefix}runbooks/ScheduleDlqSendFailures.md"
  namespace           = local.contract.alarms.ScheduleDlqSendFailures.namespace
  metric_name         = local.contract.alarms.ScheduleDlqSendFailures.metric
  dimensions          = { (local.contract.alarms.ScheduleDlqSendFailures.dimensions[0]) = aws_scheduler_schedule_group.this.name }
  statistic           = local.contract.alarms.ScheduleDlqSendFailures.statistic
  period              = local.contract.alarms.ScheduleDlqSendFailures.period
  evaluation_periods  = local.contract.alarms.ScheduleDlqSendFailures.evaluation_periods
  threshold           = local.contract.alarms.ScheduleDlqSendFailures.threshold
  comparison_operator = local.contract.alarms.ScheduleDlqSendFailures.comparison
  treat_missing_data  = local.contract.alarms.ScheduleDlqSendFailures.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
