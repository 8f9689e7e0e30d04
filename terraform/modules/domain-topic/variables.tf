variable "env" {
  description = "Environment name, the first segment of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must match ^[a-z][a-z0-9]{1,9}$."
  }
}

variable "service" {
  description = "Publishing service (manifest `service`); the topic is `<env>-<service>-events`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.service))
    error_message = "service must match ^[a-z][a-z0-9-]{1,30}$."
  }
}

variable "event_source" {
  description = "EventBridge `source` the service publishes with (manifest `source`, reverse DNS)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(\\.[a-z0-9-]+)+$", var.event_source))
    error_message = "event_source must be reverse DNS, e.g. com.example.orders."
  }
}

variable "bus_name" {
  description = "Name of the platform event bus the rule listens on."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key for the topic and the rule-target DLQ."
  type        = string
}

variable "target_retry" {
  description = "Retry policy of the rule target: attempts (0..185) and maximum event age in seconds (60..86400)."
  type = object({
    maximum_retry_attempts       = optional(number, 185)
    maximum_event_age_in_seconds = optional(number, 86400)
  })
  default = {}

  validation {
    condition     = var.target_retry.maximum_retry_attempts >= 0 && var.target_retry.maximum_retry_attempts <= 185
    error_message = "maximum_retry_attempts must be between 0 and 185."
  }

  validation {
    condition     = var.target_retry.maximum_event_age_in_seconds >= 60 && var.target_retry.maximum_event_age_in_seconds <= 86400
    error_message = "maximum_event_age_in_seconds must be between 60 and 86400."
  }
}

variable "dlq_retention_seconds" {
  description = "How long the rule-target DLQ keeps undeliverable events, in seconds (14 days by default, the SQS maximum)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_retention_seconds >= 60 && var.dlq_retention_seconds <= 1209600
    error_message = "dlq_retention_seconds must be between 60 and 1209600."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic every alarm of this module notifies."
  type        = string
}

variable "runbook_url_prefix" {
  description = "Prefix put in front of `runbooks/<AlarmKind>.md` in alarm descriptions (e.g. the repository URL); empty for a repository-relative link."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default     = {}
}
