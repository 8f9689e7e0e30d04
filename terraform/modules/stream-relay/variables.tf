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

variable "table_arn" {
  description = "ARN of the DynamoDB table whose stream feeds the function."
  type        = string
}

variable "stream_arn" {
  description = "ARN of the table's stream (the table must declare `stream` in the manifest)."
  type        = string

  validation {
    condition     = can(regex("/stream/", var.stream_arn))
    error_message = "stream_arn must be a DynamoDB stream ARN; does the table declare `stream`?"
  }
}

variable "batch" {
  description = "Mapping batching: size (1..10000) and window in seconds (0..300)."
  type = object({
    size           = number
    window_seconds = optional(number, 0)
  })

  validation {
    condition     = var.batch.size >= 1 && var.batch.size <= 10000 && var.batch.window_seconds >= 0 && var.batch.window_seconds <= 300
    error_message = "batch.size must be 1..10000 and batch.window_seconds 0..300."
  }
}

variable "filters" {
  description = "Lambda FilterCriteria patterns as JSON (manifest `filter`, at most 5): records no pattern matches never invoke the function. Empty: every record does."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.filters) <= 5 && alltrue([for f in var.filters : can(keys(jsondecode(f)))])
    error_message = "at most 5 filter patterns per event-source mapping (the default Lambda quota), each a JSON object."
  }
}

variable "parallelization_factor" {
  description = "Batches of one shard in flight at once (1..10); records of one partition key stay in order (manifest `parallelization_factor`)."
  type        = number
  default     = 1

  validation {
    condition     = var.parallelization_factor >= 1 && var.parallelization_factor <= 10
    error_message = "parallelization_factor must be 1..10."
  }
}

variable "retry" {
  description = "Bounded retries of a failing batch (attempts 0..10000, record age 60..604800 seconds) before it goes to the on-failure DLQ."
  type = object({
    maximum_retry_attempts        = optional(number, 10)
    maximum_record_age_in_seconds = optional(number, 3600)
  })
  default = {}

  validation {
    condition     = var.retry.maximum_retry_attempts >= 0 && var.retry.maximum_retry_attempts <= 10000
    error_message = "retry.maximum_retry_attempts must be between 0 and 10000 (never unbounded)."
  }

  validation {
    condition     = var.retry.maximum_record_age_in_seconds >= 60 && var.retry.maximum_record_age_in_seconds <= 604800
    error_message = "retry.maximum_record_age_in_seconds must be between 60 and 604800 (never unbounded)."
  }
}

variable "iterator_age_threshold_ms" {
  description = "Alarm when the oldest stream record handed to the function is older than this, in milliseconds; null: the StreamIteratorAgeHigh threshold of terraform/contract.json (60000)."
  type        = number
  default     = null
}

variable "dlq_retention_seconds" {
  description = "How long the on-failure DLQ keeps batch descriptions, in seconds (14 days by default)."
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
