variable "env" {
  description = "Environment name, the first segment of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must match ^[a-z][a-z0-9]{1,9}$."
  }
}

variable "service" {
  description = "Service that owns the resources (manifest `service`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.service))
    error_message = "service must match ^[a-z][a-z0-9-]{1,30}$."
  }
}

variable "name" {
  description = "Trigger name from the manifest; resources are `<env>-<service>-<name>[-dlq]`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{1,40}$."
  }
}

variable "handler_class" {
  description = "Fully qualified handler class; the Lambda handler is `<class>::handleRequest`."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z_][a-zA-Z0-9_$]*)+$", var.handler_class))
    error_message = "handler_class must be a fully qualified Java class name."
  }
}

variable "function" {
  description = "Function sizing (manifest `function`): memory in MB, timeout in seconds, reserved concurrency, plain environment."
  type = object({
    memory_mb            = number
    timeout_seconds      = number
    reserved_concurrency = number
    environment          = optional(map(string), {})
  })
}

variable "schedule_expression" {
  description = "Scheduler expression, `cron(...)` or `rate(...)` (manifest `schedules[].expression`)."
  type        = string

  validation {
    condition     = can(regex("^(cron\\(.+\\)|rate\\([0-9]+ (minute|minutes|hour|hours|day|days)\\))$", var.schedule_expression))
    error_message = "schedule_expression must be cron(...) or rate(N unit)."
  }
}

variable "timezone" {
  description = "IANA time zone of a cron expression."
  type        = string
  default     = "UTC"
}

variable "retry" {
  description = "Retry policy of the schedule target: attempts (0..185) and maximum event age in seconds (60..86400)."
  type = object({
    maximum_retry_attempts       = optional(number, 3)
    maximum_event_age_in_seconds = optional(number, 3600)
  })
  default = {}

  validation {
    condition     = var.retry.maximum_retry_attempts >= 0 && var.retry.maximum_retry_attempts <= 185 && var.retry.maximum_event_age_in_seconds >= 60 && var.retry.maximum_event_age_in_seconds <= 86400
    error_message = "retry.maximum_retry_attempts must be 0..185 and retry.maximum_event_age_in_seconds 60..86400."
  }
}

variable "async_retry" {
  description = "Asynchronous invocation of the job's function: retries of a failed run (0..2) and maximum event age in seconds (60..21600) before the DLQ."
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

variable "dlq_retention_seconds" {
  description = "How long the schedule DLQ keeps failed invocations, in seconds (14 days by default)."
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
