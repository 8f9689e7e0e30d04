# ---------------------------------------------------------------------------
# DynamoDB stream -> function (the outbox relay). Records the manifest's
# filter patterns do not match never invoke it; up to parallelization_factor
# batches per shard run at once (in order per key). Failing batches are split
# (bisect) or, with ReportBatchItemFailures, retried from the first failed
# record, a bounded number of times, then described in an SQS on-failure DLQ
# from which on-call re-drives.
# ---------------------------------------------------------------------------

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract = jsondecode(file("${path.module}/../../contract.json"))
  name     = replace(replace(replace(local.contract.names.function, "{env}", var.env), "{service}", var.service), "{name}", var.name)
}

# ---------------------------------------------------------------------------
# On-failure destination
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
# Function and mapping
# ---------------------------------------------------------------------------

module "function" {
  source = "../function"

  name                 = local.name
  description          = "Stream relay ${var.name} of ${var.service}: table stream to the event bus."
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

  policy_statements = concat([
    {
      sid        = "ReadTableStream"
      actions    = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
      resources  = [var.stream_arn]
      conditions = []
    },
    {
      sid        = "ListTableStreams"
      actions    = ["dynamodb:ListStreams"]
      resources  = ["${var.table_arn}/stream/*"]
      conditions = []
    },
  ], var.policy_statements)

  # The mapping's destination_config names the queue; Lambda writes it with the function's role.
  on_failure = { queue_arn = aws_sqs_queue.dlq.arn }
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = var.stream_arn
  function_name                      = module.function.alias_arn
  starting_position                  = "LATEST"
  batch_size                         = var.batch.size
  maximum_batching_window_in_seconds = var.batch.window_seconds
  parallelization_factor             = var.parallelization_factor
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.retry.maximum_retry_attempts
  maximum_record_age_in_seconds      = var.retry.maximum_record_age_in_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  enabled                            = true

  dynamic "filter_criteria" {
    for_each = length(var.filters) > 0 ? [var.filters] : []
    content {
      dynamic "filter" {
        for_each = filter_criteria.value
        content {
          pattern = filter.value
        }
      }
    }
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.dlq.arn
    }
  }

  tags = var.tags
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "${local.name}-StreamIteratorAgeHigh"
  alarm_description   = "${local.name} is behind its table stream by more than ${coalesce(var.iterator_age_threshold_ms, local.contract.alarms.StreamIteratorAgeHigh.threshold)} ms. Runbook: ${var.runbook_url_prefix}runbooks/StreamIteratorAgeHigh.md"
  namespace           = local.contract.alarms.StreamIteratorAgeHigh.namespace
  metric_name         = local.contract.alarms.StreamIteratorAgeHigh.metric
  dimensions          = { (local.contract.alarms.StreamIteratorAgeHigh.dimensions[0]) = module.function.function_name }
  statistic           = local.contract.alarms.StreamIteratorAgeHigh.statistic
  period              = local.contract.alarms.StreamIteratorAgeHigh.period
  evaluation_periods  = local.contract.alarms.StreamIteratorAgeHigh.evaluation_periods
  threshold           = coalesce(var.iterator_age_threshold_ms, local.contract.alarms.StreamIteratorAgeHigh.threshold)
  comparison_operator = local.contract.alarms.StreamIteratorAgeHigh.comparison
  treat_missing_data  = local.contract.alarms.StreamIteratorAgeHigh.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${local.name}-dlq-StreamDlqNotEmpty"
  alarm_description   = "Stream batches ${local.name} gave up on are described in ${aws_sqs_queue.dlq.name}. Runbook: ${var.runbook_url_prefix}runbooks/StreamDlqNotEmpty.md"
  namespace           = local.contract.alarms.StreamDlqNotEmpty.namespace
  metric_name         = local.contract.alarms.StreamDlqNotEmpty.metric
  dimensions          = { (local.contract.alarms.StreamDlqNotEmpty.dimensions[0]) = aws_sqs_queue.dlq.name }
  statistic           = local.contract.alarms.StreamDlqNotEmpty.statistic
  period              = local.contract.alarms.StreamDlqNotEmpty.period
  evaluation_periods  = local.contract.alarms.StreamDlqNotEmpty.evaluation_periods
  threshold           = local.contract.alarms.StreamDlqNotEmpty.threshold
  comparison_operator = local.contract.alarms.StreamDlqNotEmpty.comparison
  treat_missing_data  = local.contract.alarms.StreamDlqNotEmpty.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
