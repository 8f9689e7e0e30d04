variable "name" {
  description = "Table name, `<env>-<service>-idempotency` or `<env>-<service>-<table>`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,254}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{2,254}$."
  }
}

variable "hash_key" {
  description = "Partition key attribute (string). Powertools' idempotency layout uses `id`."
  type        = string
  default     = "id"
}

variable "range_key" {
  description = "Sort key attribute (string), null for none."
  type        = string
  default     = null
}

variable "ttl_attribute" {
  description = "Attribute holding the expiry epoch seconds; Powertools' idempotency layout uses `expiration`. Null disables TTL."
  type        = string
  default     = "expiration"
}

variable "stream_view_type" {
  description = "DynamoDB stream view (NEW_IMAGE or NEW_AND_OLD_IMAGES), null for no stream."
  type        = string
  default     = null

  validation {
    condition     = var.stream_view_type == null || contains(["NEW_IMAGE", "NEW_AND_OLD_IMAGES"], coalesce(var.stream_view_type, "NEW_IMAGE"))
    error_message = "stream_view_type must be NEW_IMAGE, NEW_AND_OLD_IMAGES or null."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the table."
  type        = string
}

variable "enable_deletion_protection" {
  description = "Refuse to delete the table (on in prod)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags applied to the table."
  type        = map(string)
  default     = {}
}
