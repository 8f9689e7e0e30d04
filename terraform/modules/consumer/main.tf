# ---------------------------------------------------------------------------
# One SQS-driven consumer:
#   domain topic(s) --(subscription, filter policy on the event body)-->
#   queue <env>-<service>-<name> --(redrive)--> <...>-dlq
#   (a delivery SNS gives up on goes to the same DLQ: the subscription's redrive policy)
#   queue --(event-source mapping, partial batch failures)--> function alias
# ---------------------------------------------------------------------------

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract = jsondecode(file("${path.module}/../../contract.json"))
  name     = replace(replace(replace(local.contract.names.queue, "{env}", var.env), "{service}", var.service), "{name}", var.name)
  filter   = jsondecode(var.filter_json)
  # Unless the manifest says otherwise, the retentions the Java side assumes (contract queue_retention).
  queue_retention_seconds = coalesce(var.queue.message_retention_seconds, local.contract.queue_retention.queue_seconds)
  dlq_retention_seconds   = coalesce(var.dlq_retention_seconds, local.contract.queue_retention.dlq_seconds)
}

# ---------------------------------------------------------------------------
# Queues
# ---------------------------------------------------------------------------

resource "aws_sqs_queue" "this" {
  name                       = local.name
  visibility_timeout_seconds = var.queue.visibility_timeout_seconds
  message_retention_seconds  = local.queue_retention_seconds
  kms_master_key_id          = var.kms_key_arn
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.queue.max_receive_count
  })
  tags = var.tags
}

resource "aws_sqs_queue" "dlq" {
  name                      = replace(replace(replace(local.contract.names.dlq, "{env}", var.env), "{service}", var.service), "{name}", var.name)
  message_retention_seconds = local.dlq_retention_seconds
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

# The queue and its DLQ take the same policy: only the subscribed domain topics may send (to the
# queue what they deliver, to the DLQ what SNS gives up on through the subscription's redrive
# policy, instead of dropping it), and nothing without TLS.
data "aws_iam_policy_document" "queue" {
  for_each = { this = aws_sqs_queue.this.arn, dlq = aws_sqs_queue.dlq.arn }

  statement {
    sid       = "DomainTopicsOnly"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [each.value]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for s in values(var.subscriptions) : s.topic_arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes"]
    resources = [each.value]

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

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.queue["this"].json
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.queue["dlq"].json
}

# ---------------------------------------------------------------------------
# Subscriptions: one per publishing topic, raw delivery, filter on the body,
# deliveries SNS gives up on to the DLQ
# ---------------------------------------------------------------------------

resource "aws_sns_topic_subscription" "this" {
  for_each = var.subscriptions

  topic_arn            = each.value.topic_arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.this.arn
  raw_message_delivery = true
  filter_policy_scope  = "MessageBody"
  filter_policy        = jsonencode(merge({ "detail-type" = each.value.event_types }, local.filter))
  redrive_policy       = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn })

  depends_on = [aws_sqs_queue_policy.this, aws_sqs_queue_policy.dlq]
}

# ---------------------------------------------------------------------------
# Function and event-source mapping
# ---------------------------------------------------------------------------

module "function" {
  source = "../function"

  name                 = local.name
  description          = "Consumer ${var.name} of ${var.service}: ${join(", ", distinct(flatten([for s in values(var.subscriptions) : s.event_types])))}."
  handler              = "${var.handler_class}::handleRequest"
  package_path         = var.package_path
  memory_mb            = var.function.memory_mb
  timeout_seconds      = var.function.timeout_seconds
  reserved_concurrency = var.function.reserved_concurrency
  # Where the runtime moves poison messages at once (shared-lib FunctionEnvironment); the service
  # module sets the rest of the contract for every function.
  # The retentions size the idempotency records' lifetime (ADR 0061).
  environment = merge(var.function.environment, {
    (local.contract.environment.dlq_url)                 = aws_sqs_queue.dlq.url
    (local.contract.environment.queue_retention_seconds) = local.queue_retention_seconds
    (local.contract.environment.dlq_retention_seconds)   = local.dlq_retention_seconds
  })
  kms_key_arn        = var.kms_key_arn
  log_retention_days = var.log_retention_days
  deployment         = var.deployment
  alarm_topic_arn    = var.alarm_topic_arn
  runbook_url_prefix = var.runbook_url_prefix
  otel_layer_arn     = var.otel_layer_arn
  tags               = var.tags

  policy_statements = concat([
    {
      sid        = "ConsumeOwnQueue"
      actions    = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]
      resources  = [aws_sqs_queue.this.arn]
      conditions = []
    },
    {
      sid        = "MovePoisonToOwnDlq"
      actions    = ["sqs:SendMessage"]
      resources  = [aws_sqs_queue.dlq.arn]
      conditions = []
    },
  ], var.policy_statements)
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = aws_sqs_queue.this.arn
  function_name                      = module.function.alias_arn
  batch_size                         = var.batch.size
  maximum_batching_window_in_seconds = var.batch.window_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  enabled                            = true

  dynamic "scaling_config" {
    for_each = var.batch.max_concurrency == null ? [] : [var.batch.max_concurrency]
    content {
      maximum_concurrency = scaling_config.value
    }
  }

  tags = var.tags
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${local.name}-dlq-ConsumerDlqNotEmpty"
  alarm_description   = "Messages ${local.name} gave up on are in ${aws_sqs_queue.dlq.name}. Runbook: ${var.runbook_url_prefix}runbooks/ConsumerDlqNotEmpty.md"
  namespace           = local.contract.alarms.ConsumerDlqNotEmpty.namespace
  metric_name         = local.contract.alarms.ConsumerDlqNotEmpty.metric
  dimensions          = { (local.contract.alarms.ConsumerDlqNotEmpty.dimensions[0]) = aws_sqs_queue.dlq.name }
  statistic           = local.contract.alarms.ConsumerDlqNotEmpty.statistic
  period              = local.contract.alarms.ConsumerDlqNotEmpty.period
  evaluation_periods  = local.contract.alarms.ConsumerDlqNotEmpty.evaluation_periods
  threshold           = local.contract.alarms.ConsumerDlqNotEmpty.threshold
  comparison_operator = local.contract.alarms.ConsumerDlqNotEmpty.comparison
  treat_missing_data  = local.contract.alarms.ConsumerDlqNotEmpty.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "message_age" {
  alarm_name          = "${local.name}-QueueMessageAgeHigh"
  alarm_description   = "The oldest message in ${local.name} is older than ${coalesce(var.message_age_threshold_seconds, local.contract.alarms.QueueMessageAgeHigh.threshold)}s. Runbook: ${var.runbook_url_prefix}runbooks/QueueMessageAgeHigh.md"
  namespace           = local.contract.alarms.QueueMessageAgeHigh.namespace
  metric_name         = local.contract.alarms.QueueMessageAgeHigh.metric
  dimensions          = { (local.contract.alarms.QueueMessageAgeHigh.dimensions[0]) = aws_sqs_queue.this.name }
  statistic           = local.contract.alarms.QueueMessageAgeHigh.statistic
  period              = local.contract.alarms.QueueMessageAgeHigh.period
  evaluation_periods  = local.contract.alarms.QueueMessageAgeHigh.evaluation_periods
  threshold           = coalesce(var.message_age_threshold_seconds, local.contract.alarms.QueueMessageAgeHigh.threshold)
  comparison_operator = local.contract.alarms.QueueMessageAgeHigh.comparison
  treat_missing_data  = local.contract.alarms.QueueMessageAgeHigh.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
