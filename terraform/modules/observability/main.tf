# ---------------------------------------------------------------------------
# Observability of one environment: the alarm topic every alarm notifies,
# the platform dashboard, and the business alarm on stuck sagas.
# ---------------------------------------------------------------------------

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract   = jsondecode(file("${path.module}/../../contract.json"))
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  partition  = data.aws_partition.current.partition
  consumers  = [for k in sort(keys(var.consumers)) : var.consumers[k]]
}

# ---------------------------------------------------------------------------
# Alarm topic
# ---------------------------------------------------------------------------

resource "aws_sns_topic" "this" {
  name              = "${var.env}-fanout-alarms"
  display_name      = "Fan-out platform alarms (${var.env})"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisEnvironment"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.env}-*"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish", "sns:Subscribe", "sns:Receive", "sns:GetTopicAttributes", "sns:SetTopicAttributes"]
    resources = [aws_sns_topic.this.arn]

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

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

# ---------------------------------------------------------------------------
# Stuck sagas (metric emitted by the watchdog of the reporting service)
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "saga_stuck" {
  count = var.saga_stuck == null ? 0 : 1

  alarm_name          = "${var.env}-${var.saga_stuck.service}-SagaStuck"
  alarm_description   = "Orders stopped making progress past their deadline (metric SagaStuck from ${var.saga_stuck.service}). Runbook: ${var.runbook_url_prefix}runbooks/SagaStuck.md"
  namespace           = local.contract.alarms.SagaStuck.namespace
  metric_name         = local.contract.alarms.SagaStuck.metric
  dimensions          = { (local.contract.alarms.SagaStuck.dimensions[0]) = var.saga_stuck.service }
  statistic           = local.contract.alarms.SagaStuck.statistic
  period              = local.contract.alarms.SagaStuck.period
  evaluation_periods  = local.contract.alarms.SagaStuck.evaluation_periods
  threshold           = var.saga_stuck.threshold
  comparison_operator = local.contract.alarms.SagaStuck.comparison
  treat_missing_data  = local.contract.alarms.SagaStuck.treat_missing_data
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]
  tags                = var.tags
}

# ---------------------------------------------------------------------------
# Dashboard
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.env}-fanout"
  dashboard_body = jsonencode({
    widgets = concat(
      [
        {
          type = "metric", x = 0, y = 0, width = 12, height = 6
          properties = {
            title   = "Queue depth (visible messages)"
            region  = local.region
            stat    = "Maximum"
            period  = 60
            metrics = [for c in local.consumers : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", c.queue_name]]
          }
        },
        {
          type = "metric", x = 12, y = 0, width = 12, height = 6
          properties = {
            title   = "Dead-letter queues (visible messages)"
            region  = local.region
            stat    = "Maximum"
            period  = 60
            metrics = [for c in local.consumers : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", c.dlq_name]]
          }
        },
        {
          type = "metric", x = 0, y = 6, width = 12, height = 6
          properties = {
            title   = "Age of oldest message (s)"
            region  = local.region
            stat    = "Maximum"
            period  = 60
            metrics = [for c in local.consumers : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", c.queue_name]]
          }
        },
        {
          type = "metric", x = 12, y = 6, width = 12, height = 6
          properties = {
            title   = "Consumer errors"
            region  = local.region
            stat    = "Sum"
            period  = 60
            metrics = [for c in local.consumers : ["AWS/Lambda", "Errors", "FunctionName", c.function_name]]
          }
        },
        {
          type = "metric", x = 0, y = 12, width = 12, height = 6
          properties = {
            title   = "Domain topics: failed notifications"
            region  = local.region
            stat    = "Sum"
            period  = 60
            metrics = [for t in var.topic_names : ["AWS/SNS", "NumberOfNotificationsFailed", "TopicName", t]]
          }
        },
      ],
      var.saga_stuck == null ? [] : [
        {
          type = "metric", x = 12, y = 12, width = 12, height = 6
          properties = {
            title   = "Stuck sagas"
            region  = local.region
            stat    = "Sum"
            period  = 300
            metrics = [[local.contract.alarms.SagaStuck.namespace, local.contract.alarms.SagaStuck.metric, local.contract.alarms.SagaStuck.dimensions[0], var.saga_stuck.service]]
          }
        },
      ],
    )
  })
}
