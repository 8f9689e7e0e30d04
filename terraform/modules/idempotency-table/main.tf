# ---------------------------------------------------------------------------
# DynamoDB table, on demand, KMS, point-in-time recovery. With the defaults
# it is an idempotency store in Powertools' record layout (key `id`, TTL on
# `expiration`); the service module also uses it for the manifests' tables.
# ---------------------------------------------------------------------------

locals {
  key_attributes = compact([var.hash_key, var.range_key])
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  stream_enabled              = var.stream_view_type != null
  stream_view_type            = var.stream_view_type
  deletion_protection_enabled = var.enable_deletion_protection

  dynamic "attribute" {
    for_each = local.key_attributes
    content {
      name = attribute.value
      type = "S"
    }
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute == null ? [] : [var.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
