# ---------------------------------------------------------------------------
# Domain topic of one publishing service:
#   rule {"source": [<source>]} on the bus -> SNS topic <env>-<service>-events
# The SNS message body is the whole EventBridge event; consumers subscribe
# with a filter policy on `detail-type` (module consumer).
# ---------------------------------------------------------------------------

locals {
  name = "${var.env}-${var.service}-events"
}

# ---------------------------------------------------------------------------
# SNS topic
# ---------------------------------------------------------------------------

resource "aws_sns_topic" "this" {
  name              = local.name
  display_name      = "${var.service} domain events"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "PublishFromTheDomainRuleOnly"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.this.arn]
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
# EventBridge rule and target (retry policy + DLQ)
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "this" {
  name           = "${var.env}-${var.service}-to-topic"
  description    = "Every event published by ${var.service} (${var.event_source}) to ${local.name}."
  event_bus_name = var.bus_name
  event_pattern  = jsonencode({ source = [var.event_source] })
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  rule           = aws_cloudwatch_event_rule.this.name
  event_bus_name = var.bus_name
  target_id      = "domain-topic"
  arn            = aws_sns_topic.this.arn

  retry_policy {
    maximum_retry_attempts       = var.target_retry.maximum_retry_attempts
    maximum_event_age_in_seconds = var.target_retry.maximum_event_age_in_seconds
  }

  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }
}

# ---------------------------------------------------------------------------
# Rule-target DLQ: events EventBridge could not deliver to the topic
# ---------------------------------------------------------------------------

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.env}-${var.service}-events-rule-dlq"
  message_retention_seconds = var.dlq_retention_seconds
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

data "aws_iam_policy_document" "dlq" {
  statement {
    sid       = "EventBridgeRuleDeadLetters"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.this.arn]
    }
  }

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
# Alarms
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "rule_failed_invocations" {
  alarm_name          = "${var.env}-${var.service}-events-RuleFailedInvocations"
  alarm_description   = "EventBridge could not deliver ${var.service} events to ${local.name}. Runbook: ${var.runbook_url_prefix}runbooks/RuleFailedInvocations.md"
  namespace           = "AWS/Events"
  metric_name         = "FailedInvocations"
  dimensions          = { EventBusName = var.bus_name, RuleName = aws_cloudwatch_event_rule.this.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "rule_dlq_not_empty" {
  alarm_name          = "${var.env}-${var.service}-events-rule-dlq-RuleDlqNotEmpty"
  alarm_description   = "Events of ${var.service} are parked in ${aws_sqs_queue.dlq.name}. Runbook: ${var.runbook_url_prefix}runbooks/RuleDlqNotEmpty.md"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "sns_delivery_failures" {
  alarm_name          = "${local.name}-SnsDeliveryFailures"
  alarm_description   = "SNS failed to deliver ${local.name} messages to subscribed queues. Runbook: ${var.runbook_url_prefix}runbooks/SnsDeliveryFailures.md"
  namespace           = "AWS/SNS"
  metric_name         = "NumberOfNotificationsFailed"
  dimensions          = { TopicName = aws_sns_topic.this.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
