# ---------------------------------------------------------------------------
# S3 bucket of one service: KMS (bucket key), versioning, public access
# blocked, owner-enforced, TLS-only. Optionally a function invoked on
# ObjectCreated (one notification per suffix) with an on-failure DLQ.
# ---------------------------------------------------------------------------

data "aws_caller_identity" "current" {}

locals {
  # Names, metrics and alarm settings shared with the Java code (shared-lib contract package).
  contract        = jsondecode(file("${path.module}/../../contract.json"))
  name            = replace(replace(replace(local.contract.names.function, "{env}", var.env), "{service}", var.service), "{name}", var.name)
  bucket_name     = replace(replace(replace(replace(local.contract.names.bucket, "{env}", var.env), "{service}", var.service), "{name}", var.name), "{account}", data.aws_caller_identity.current.account_id)
  create_function = var.notification != null
  notify_suffixes = local.create_function ? (length(var.notification.suffixes) > 0 ? var.notification.suffixes : [""]) : []
  notify_prefix   = local.create_function ? var.notification.prefix : ""
}

# ---------------------------------------------------------------------------
# Bucket
# ---------------------------------------------------------------------------

resource "aws_s3_bucket" "this" {
  bucket = local.bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  dynamic "rule" {
    for_each = var.expiration_days == null ? [] : [var.expiration_days]
    content {
      id     = "expire-current-versions"
      status = "Enabled"

      filter {}

      expiration {
        days = rule.value
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

# ---------------------------------------------------------------------------
# Notification function (optional)
# ---------------------------------------------------------------------------

module "function" {
  source = "../function"
  count  = local.create_function ? 1 : 0

  name                 = local.name
  description          = "Handles objects created in ${local.bucket_name}."
  handler              = "${var.notification.handler_class}::handleRequest"
  package_path         = var.package_path
  memory_mb            = var.notification.function.memory_mb
  timeout_seconds      = var.notification.function.timeout_seconds
  reserved_concurrency = var.notification.function.reserved_concurrency
  environment          = var.notification.function.environment
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  deployment           = var.deployment
  alarm_topic_arn      = var.alarm_topic_arn
  runbook_url_prefix   = var.runbook_url_prefix
  otel_layer_arn       = var.otel_layer_arn
  tags                 = var.tags

  policy_statements = concat([
    {
      sid        = "ReadCreatedObjects"
      actions    = ["s3:GetObject"]
      resources  = ["${aws_s3_bucket.this.arn}/${local.notify_prefix}*"]
      conditions = []
    },
  ], var.policy_statements)

  on_failure = {
    queue_arn   = aws_sqs_queue.dlq[0].arn
    async_retry = var.async_retry
  }
}

resource "aws_sqs_queue" "dlq" {
  count = local.create_function ? 1 : 0

  name                      = replace(replace(replace(local.contract.names.dlq, "{env}", var.env), "{service}", var.service), "{name}", var.name)
  message_retention_seconds = var.dlq_retention_seconds
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

data "aws_iam_policy_document" "dlq" {
  count = local.create_function ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes"]
    resources = [aws_sqs_queue.dlq[0].arn]

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
  count = local.create_function ? 1 : 0

  queue_url = aws_sqs_queue.dlq[0].id
  policy    = data.aws_iam_policy_document.dlq[0].json
}

# The event invoke config is the function module's since it grants and watches the destination too.
moved {
  from = aws_lambda_function_event_invoke_config.this[0]
  to   = module.function[0].aws_lambda_function_event_invoke_config.this[0]
}

resource "aws_lambda_permission" "this" {
  count = local.create_function ? 1 : 0

  statement_id   = "ObjectCreatedIn${replace(title(var.name), "-", "")}"
  action         = "lambda:InvokeFunction"
  function_name  = module.function[0].function_name
  qualifier      = module.function[0].alias_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.this.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "this" {
  count = local.create_function ? 1 : 0

  bucket = aws_s3_bucket.this.id

  dynamic "lambda_function" {
    for_each = local.notify_suffixes
    content {
      id                  = "object-created${lambda_function.value == "" ? "" : "-${trimprefix(lambda_function.value, ".")}"}"
      lambda_function_arn = module.function[0].alias_arn
      events              = ["s3:ObjectCreated:*"]
      filter_prefix       = local.notify_prefix == "" ? null : local.notify_prefix
      filter_suffix       = lambda_function.value == "" ? null : lambda_function.value
    }
  }

  depends_on = [aws_lambda_permission.this]
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  count = local.create_function ? 1 : 0

  alarm_name          = "${local.name}-dlq-BucketEventDlqNotEmpty"
  alarm_description   = "Object-created events ${local.name} could not process are in ${aws_sqs_queue.dlq[0].name}. Runbook: ${var.runbook_url_prefix}runbooks/BucketEventDlqNotEmpty.md"
  namespace           = local.contract.alarms.BucketEventDlqNotEmpty.namespace
  metric_name         = local.contract.alarms.BucketEventDlqNotEmpty.metric
  dimensions          = { (local.contract.alarms.BucketEventDlqNotEmpty.dimensions[0]) = aws_sqs_queue.dlq[0].name }
  statistic           = local.contract.alarms.BucketEventDlqNotEmpty.statistic
  period              = local.contract.alarms.BucketEventDlqNotEmpty.period
  evaluation_periods  = local.contract.alarms.BucketEventDlqNotEmpty.evaluation_periods
  threshold           = local.contract.alarms.BucketEventDlqNotEmpty.threshold
  comparison_operator = local.contract.alarms.BucketEventDlqNotEmpty.comparison
  treat_missing_data  = local.contract.alarms.BucketEventDlqNotEmpty.treat_missing_data
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
