variable "env" {
  description = "Environment name, the first segment of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must match ^[a-z][a-z0-9]{1,9}$."
  }
}

variable "service" {
  description = "Service that owns the consumer (manifest `service`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.service))
    error_message = "service must match ^[a-z][a-z0-9-]{1,30}$."
  }
}

variable "name" {
  description = "Consumer name (manifest `consumers[].name`); resources are `<env>-<service>-<name>[-dlq]`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{1,40}$."
  }
}

variable "handler_class" {
  description = "Fully qualified handler class (manifest `handler`); the Lambda handler is `<class>::handleRequest`."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z_][a-zA-Z0-9_$]*)+$", var.handler_class))
    error_message = "handler_class must be a fully qualified Java class name."
  }
}

variable "subscriptions" {
  description = "One SNS subscription per publishing service: its domain topic and the event types (detail-type) taken from it."
  type = map(object({
    topic_arn   = string
    event_types = list(string)
  }))

  validation {
    condition     = length(var.subscriptions) > 0 && alltrue([for s in values(var.subscriptions) : length(s.event_types) > 0])
    error_message = "a consumer needs at least one subscription, each with at least one event type."
  }
}

variable "filter_json" {
  description = "Extra filter (manifest `filter`) as JSON, merged into every subscription's filter policy next to `detail-type`; \"{}\" for none."
  type        = string
  default     = "{}"

  validation {
    condition     = can(jsondecode(var.filter_json)) && !can(jsondecode(var.filter_json)["detail-type"])
    error_message = "filter_json must be a JSON object that does not set detail-type (that comes from `on`)."
  }
}

variable "batch" {
  description = "Event-source mapping batching: size (1..10000), window in seconds (0..300), maximum concurrency (2..1000, null for none)."
  type = object({
    size            = number
    window_seconds  = optional(number, 0)
    max_concurrency = optional(number)
  })

  validation {
    condition     = var.batch.size >= 1 && var.batch.size <= 10000 && (var.batch.size <= 10 || var.batch.window_seconds >= 1)
    error_message = "batch.size must be 1..10000, and above 10 needs window_seconds >= 1."
  }

  validation {
    condition     = var.batch.window_seconds >= 0 && var.batch.window_seconds <= 300
    error_message = "batch.window_seconds must be between 0 and 300."
  }

  validation {
    condition     = var.batch.max_concurrency == null || (try(var.batch.max_concurrency >= 2 && var.batch.max_concurrency <= 1000 && var.batch.max_concurrency <= var.function.reserved_concurrency, false))
    error_message = "batch.max_concurrency must be 2..1000 and <= function.reserved_concurrency."
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

variable "queue" {
  description = "Queue settings (manifest `queue`): visibility timeout (>= 6 x function timeout), receives before the DLQ, and retention (null: contract.json queue_retention.queue_seconds, 4 days)."
  type = object({
    visibility_timeout_seconds = number
    max_receive_count          = number
    message_retention_seconds  = optional(number)
  })

  validation {
    condition     = var.queue.visibility_timeout_seconds >= 6 * var.function.timeout_seconds && var.queue.visibility_timeout_seconds <= 43200
    error_message = "queue.visibility_timeout_seconds must be >= 6 x function.timeout_seconds (AWS guidance for SQS event sources) and <= 43200."
  }

  validation {
    condition     = var.queue.max_receive_count >= 1 && var.queue.max_receive_count <= 1000
    error_message = "queue.max_receive_count must be between 1 and 1000."
  }
}

variable "dlq_retention_seconds" {
  description = "How long the DLQ keeps messages, in seconds; null: contract.json queue_retention.dlq_seconds (14 days, the SQS maximum)."
  type        = number
  default     = null

  validation {
    condition     = try(var.dlq_retention_seconds >= 60 && var.dlq_retention_seconds <= 1209600, var.dlq_retention_seconds == null)
    error_message = "dlq_retention_seconds must be between 60 and 1209600."
  }
}

variable "package_path" {
  description = "Path of the function's deployment zip: `<service>-function.zip`, or `<service>-function-without-<clients>.zip` for a function that never calls those optional SDK clients (ADR 0107)."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key for the queues, the log group and the function."
  type        = string
}

variable "policy_statements" {
  description = "Extra least-privilege statements for the function (the service's tables, the bus); the queue permissions are added here."
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
  description = "Retention of the function's log group, in days."
  type        = number
  default     = 30
}

variable "message_age_threshold_seconds" {
  description = "Alarm when the oldest message of the queue is older than this, in seconds; null: the QueueMessageAgeHigh threshold of terraform/contract.json (300)."
  type        = number
  default     = null
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
