variable "env" {
  description = "Environment name, the first segment of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must match ^[a-z][a-z0-9]{1,9}$."
  }
}

variable "service" {
  description = "Service that owns the bucket (manifest `service`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.service))
    error_message = "service must match ^[a-z][a-z0-9-]{1,30}$."
  }
}

variable "name" {
  description = "Bucket name from the manifest; the bucket is `<env>-<service>-<name>-<account id>`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{1,20}$."
  }
}

variable "notification" {
  description = "Function invoked on ObjectCreated (manifest `buckets[]` with a handler); null for a plain bucket."
  type = object({
    handler_class = string
    prefix        = optional(string, "")
    suffixes      = optional(list(string), [])
    function = object({
      memory_mb            = number
      timeout_seconds      = number
      reserved_concurrency = number
      environment          = optional(map(string), {})
    })
  })
  default = null
}

variable "async_retry" {
  description = "Asynchronous invocation of the notification function: retries (0..2) and maximum event age in seconds (60..21600) before the on-failure DLQ."
  type = object({
    maximum_retry_attempts       = optional(number, 2)
    maximum_event_age_in_seconds = optional(number, 3600)
  })
  default = {}

  validation {
    condition     = var.async_retry.maximum_retry_attempts >= 0 && var.async_retry.maximum_retry_attempts <= 2 && var.async_retry.maximum_event_age_in_seconds >= 60 && var.async_retry.maximum_event_age_in_seconds <= 21600
    error_message = "async_retry.maximum_retry_attempts must be 0..2 and maximum_event_age_in_seconds 60..21600."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions are deleted."
  type        = number
  default     = 30
}

variable "expiration_days" {
  description = "Days after which current objects expire (and become non-current); null keeps them. The claim-check bucket sets it: a payload is needed only while its event can still be delivered or redriven."
  type        = number
  default     = null

  validation {
    condition     = var.expiration_days == null || try(var.expiration_days >= 1, false)
    error_message = "expiration_days must be at least 1 (or null)."
  }
}

variable "dlq_retention_seconds" {
  description = "How long the on-failure DLQ keeps failed notifications, in seconds (14 days by default)."
  type        = number
  default     = 1209600
}
variable "package_path" {
  description = "Path of the function's deployment zip: `<service>-function.zip`, or `<service>-function-without-<clients>.zip` for a function that never calls those optional SDK clients (ADR 0107)."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key for every encrypted resource of the module."
  type        = string
}

variable "policy_statements" {
  description = "Extra least-privilege statements for the function (the service's tables, bus, buckets)."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []
}

variable "deployment" {
  description = "Deployment of the function's alias (see module function)."
  type = object({
    strategy       = optional(string, "all-at-once")
    canary_weight  = optional(number, 0.1)
    stable_version = optional(string)
  })
  default = {}
}

variable "log_retention_days" {
  description = "Retention of the module's log groups, in days."
  type        = number
  default     = 30
}

variable "alarm_topic_arn" {
  description = "SNS topic every alarm of this module notifies."
  type        = string
}

variable "runbook_url_prefix" {
  description = "Prefix put in front of `runbooks/<AlarmKind>.md` in alarm descriptions; empty for a repository-relative link."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default     = {}
}

variable "otel_layer_arn" {
  description = "ARN of the ADOT Lambda layer (its collector exports to X-Ray) in this region, for the functions whose manifest selects FANOUT_TRACER = otel; null while none does."
  type        = string
  default     = null
}
