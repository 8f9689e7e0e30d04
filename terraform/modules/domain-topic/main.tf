# ---------------------------------------------------------------------------
# Domain topic of one publishing service:
#   rule {"source": [<source>]} on the bus -> SNS topic <env>-<service>-events
# The SNS message body is the whole EventBridge event; consumers subscribe
# with a filter policy on `detail-type` (module consumer).
# ---------------------------------------------------------------------------

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract = jsondecode(file("${path.module}/../../contract.json"))
  name     = replace(replace(local.contract.names.topic, "{env}", var.env), "{service}", var.service)
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
  name           = replace(replace(local.contract.names.rule, "{env}", var.env), "{service}", var.service)
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
  name                      = replace(replace(local.contract.names.rule_dlq, "{env}", var.env), "{service}", var.service)
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
  namespace           = local.contract.alarms.RuleFailedInvocations.namespace
  metric_name         = local.contract.alarms.RuleFailedInvocations.metric
  dimensions          = { (local.contract.alarms.RuleFailedInvocations.dimensions[0]) = var.bus_name, (local.contract.alarms.RuleFailedInvocations.dimensions[1]) = aws_cloudwatch_event_rule.this.name }
  statistic           = local.contract.alarms.RuleFailedInvocations.statistic
  period              = local.contract.alarms.RuleFailedInvocations.period
  evaluation_periods  = local.contract.alarms.RuleFailedInvocations.evaluation_periods
  threshold           = local.contract.alarms.RuleFailedInvocations.threshold
  comparison_operator = local.contract.alarms.RuleFailedInvocations.comparison
  treat_missing_data  = local.contract.alarms.RuleFailedInvocations.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

# What EventBridge cannot write to the rule DLQ is dropped: only the archive still holds it.
resource "aws_cloudwatch_metric_alarm" "rule_dlq_send_failures" {
  alarm_name          = "${var.env}-${var.service}-events-RuleDlqSendFailures"
  alarm_description   = "EventBridge gave up on ${var.service} events and could not park them in ${aws_sqs_queue.dlq.name}: they are lost but for the archive. Runbook: ${var.runbook_url_prefix}runbooks/RuleDlqSendFailures.md"
  namespace           = local.contract.alarms.RuleDlqSendFailures.namespace
  metric_name         = local.contract.alarms.RuleDlqSendFailures.metric
  dimensions          = { (local.contract.alarms.RuleDlqSendFailures.dimensions[0]) = var.bus_name, (local.contract.alarms.RuleDlqSendFailures.dimensions[1]) = aws_cloudwatch_event_rule.this.name }
  statistic           = local.contract.alarms.RuleDlqSendFailures.statistic
  period              = local.contract.alarms.RuleDlqSendFailures.period
  evaluation_periods  = local.contract.alarms.RuleDlqSendFailures.evaluation_periods
  threshold           = local.contract.alarms.RuleDlqSendFailures.threshold
  comparison_operator = local.contract.alarms.RuleDlqSendFailures.comparison
  treat_missing_data  = local.contract.alarms.RuleDlqSendFailures.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "rule_dlq_not_empty" {
  alarm_name          = "${var.env}-${var.service}-events-rule-dlq-RuleDlqNotEmpty"
  alarm_description   = "Events of ${var.service} are parked in ${aws_sqs_queue.dlq.name}. Runbook: ${var.runbook_url_prefix}runbooks/RuleDlqNotEmpty.md"
  namespace           = local.contract.alarms.RuleDlqNotEmpty.namespace
  metric_name         = local.contract.alarms.RuleDlqNotEmpty.metric
  dimensions          = { (local.contract.alarms.RuleDlqNotEmpty.dimensions[0]) = aws_sqs_queue.dlq.name }
  statistic           = local.contract.alarms.RuleDlqNotEmpty.statistic
  period              = local.contract.alarms.RuleDlqNotEmpty.period
  evaluation_periods  = local.contract.alarms.RuleDlqNotEmpty.evaluation_periods
  threshold           = local.contract.alarms.RuleDlqNotEmpty.threshold
  comparison_operator = local.contract.alarms.RuleDlqNotEmpty.comparison
  treat_missing_data  = local.contract.alarms.RuleDlqNotEmpty.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "sns_delivery_failures" {
  alarm_name          = "${local.name}-SnsDeliveryFailures"
  alarm_description   = "SNS failed to deliver ${local.name} messages to subscribed queues. Runbook: ${var.runbook_url_prefix}runbooks/SnsDeliveryFailures.md"
  namespace           = local.contract.alarms.SnsDeliveryFailures.namespace
  metric_name         = local.contract.alarms.SnsDeliveryFailures.metric
  dimensions          = { (local.contract.alarms.SnsDeliveryFailures.dimensions[0]) = aws_sns_topic.this.name }
  statistic           = local.contract.alarms.SnsDeliveryFailures.statistic
  period              = local.contract.alarms.SnsDeliveryFailures.period
  evaluation_periods  = local.contract.alarms.SnsDeliveryFailures.evaluation_periods
  threshold           = local.contract.alarms.SnsDeliveryFailures.threshold
  comparison_operator = local.contract.alarms.SnsDeliveryFailures.comparison
  treat_missing_data  = local.contract.alarms.SnsDeliveryFailures.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

# What SNS cannot write to a subscription's DLQ is dropped: only the bus archive still holds it.
resource "aws_cloudwatch_metric_alarm" "sns_redrive_failures" {
  alarm_name          = "${local.name}-SnsRedriveFailures"
  alarm_description   = "SNS gave up on ${local.name} deliveries and could not move them to the subscription's DLQ: they are lost but for the archive. Runbook: ${var.runbook_url_prefix}runbooks/SnsRedriveFailures.md"
  namespace           = local.contract.alarms.SnsRedriveFailures.namespace
  metric_name         = local.contract.alarms.SnsRedriveFailures.metric
  dimensions          = { (local.contract.alarms.SnsRedriveFailures.dimensions[0]) = aws_sns_topic.this.name }
  statistic           = local.contract.alarms.SnsRedriveFailures.statistic
  period              = local.contract.alarms.SnsRedriveFailures.period
  evaluation_periods  = local.contract.alarms.SnsRedriveFailures.evaluation_periods
  threshold           = local.contract.alarms.SnsRedriveFailures.threshold
  comparison_operator = local.contract.alarms.SnsRedriveFailures.comparison
  treat_missing_data  = local.contract.alarms.SnsRedriveFailures.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
