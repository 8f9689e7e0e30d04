# ---------------------------------------------------------------------------
# Platform event bus: producers PutEvents here; one rule per publishing
# service (module domain-topic) routes to that service's SNS topic.
# Schema discovery stays off: the schemas live in services/*/schemas.
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_event_bus" "this" {
  name               = var.name
  description        = "Fan-out platform bus: every domain event of every service."
  kms_key_identifier = var.kms_key_arn
  tags               = var.tags
}

# ---------------------------------------------------------------------------
# Archive: every event on the bus, kept for replay (`aws events start-replay`).
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_event_archive" "this" {
  name               = "${var.name}-archive"
  description        = "Every event of ${var.name}, for replay after an incident."
  event_source_arn   = aws_cloudwatch_event_bus.this.arn
  retention_days     = var.archive_retention_days
  kms_key_identifier = var.kms_key_arn
}
