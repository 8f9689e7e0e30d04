variable "name" {
  description = "Name of the key, `<env>-<purpose>`; the alias becomes `alias/<name>`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,60}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{1,60}$."
  }
}

variable "env" {
  description = "Environment name (dev, prod, ...); scopes the CloudWatch Logs grant to log groups of this environment."
  type        = string
}

variable "via_services" {
  description = "AWS services through which IAM principals of this account may use the key (kms:ViaService), e.g. [\"sqs\", \"sns\"]."
  type        = list(string)
  default     = ["sqs", "sns", "dynamodb", "s3", "lambda", "events", "scheduler"]

  validation {
    condition     = alltrue([for s in var.via_services : contains(["sqs", "sns", "dynamodb", "s3", "lambda", "events", "scheduler", "logs"], s)])
    error_message = "via_services may only name sqs, sns, dynamodb, s3, lambda, events, scheduler, logs."
  }
}

variable "service_principals" {
  description = "Service principals (short names) that encrypt or decrypt on the platform's behalf: EventBridge to SNS/SQS, SNS to SQS, CloudWatch alarms to SNS."
  type        = list(string)
  default     = ["events", "sns", "cloudwatch"]

  validation {
    condition     = alltrue([for s in var.service_principals : contains(["events", "sns", "cloudwatch", "s3"], s)])
    error_message = "service_principals may only name events, sns, cloudwatch, s3."
  }
}

variable "deletion_window_days" {
  description = "Waiting period before a scheduled key deletion completes, in days (7..30)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_days >= 7 && var.deletion_window_days <= 30
    error_message = "deletion_window_days must be between 7 and 30."
  }
}

variable "rotation_period_days" {
  description = "Automatic key rotation period in days (90..2560)."
  type        = number
  default     = 365

  validation {
    condition     = var.rotation_period_days >= 90 && var.rotation_period_days <= 2560
    error_message = "rotation_period_days must be between 90 and 2560."
  }
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
