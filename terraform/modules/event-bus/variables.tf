variable "name" {
  description = "Name of the custom event bus, `<env>-fanout`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,63}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{1,63}$."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts events on the bus and in the archive."
  type        = string
}

variable "archive_retention_days" {
  description = "How long the archive keeps events for replay, in days (0 keeps them forever)."
  type        = number
  default     = 30

  validation {
    condition     = var.archive_retention_days >= 0
    error_message = "archive_retention_days must be >= 0."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default     = {}
}
