variable "name" {
  description = "Function name, `<env>-<service>-<name>`; also the prefix of its role, log group and alarms."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,55}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{2,55}$ (room is left for the role suffix)."
  }
}

variable "description" {
  description = "One-line description of what the function does."
  type        = string
}

variable "handler" {
  description = "Lambda handler string, `<fully.qualified.Class>::handleRequest`."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z_][a-zA-Z0-9_.$]*::handleRequest$", var.handler))
    error_message = "handler must be `<fully.qualified.Class>::handleRequest`."
  }
}

variable "package_path" {
  description = "Path of the deployment zip (`services/<service>/target/<service>-function.zip`, or `<service>-function-without-<clients>.zip` for a function that never calls those optional SDK clients, ADR 0107; built by `make package`)."
  type        = string
}

variable "memory_mb" {
  description = "Memory of the function in MB (128..10240)."
  type        = number

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds (1..900)."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 1 and 900."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions (>= 1): a function never starves the account, nor is starved."
  type        = number

  validation {
    condition     = var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be >= 1."
  }
}

variable "environment" {
  description = "Plain configuration passed as environment variables (never secrets)."
  type        = map(string)
  default     = {}

  # The function runtime's own variables follow their rules (function_variables of contract.json,
  # generated from shared-lib's FunctionVariable: pattern, then range for numbers): a value the
  # runtime would warn about and replace by its default fails the plan instead. And
  # FunctionVariableTerraformTest runs this block against the Java rules; the list is repeated
  # because error_message cannot refer to the condition.
  validation {
    condition = length([for name, value in var.environment : "${name} ${local.contract.function_variables[name].rule}, was '${value}'"
      if contains(keys(local.contract.function_variables), name) && !try(
        can(regex(local.contract.function_variables[name].pattern, trimspace(value))) && try(
          tonumber(trimspace(value)) >= local.contract.function_variables[name].min && tonumber(trimspace(value)) <= local.contract.function_variables[name].max,
          local.contract.function_variables[name].min == null
        ),
        false
    )]) == 0
    error_message = join("; ", [for name, value in var.environment : "${name} ${local.contract.function_variables[name].rule}, was '${value}'"
      if contains(keys(local.contract.function_variables), name) && !try(
        can(regex(local.contract.function_variables[name].pattern, trimspace(value))) && try(
          tonumber(trimspace(value)) >= local.contract.function_variables[name].min && tonumber(trimspace(value)) <= local.contract.function_variables[name].max,
          local.contract.function_variables[name].min == null
        ),
        false
    )])
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key for the log group and the environment variables."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the function's log group, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "policy_statements" {
  description = "Least-privilege statements of the execution role, on top of logs, X-Ray and the key; every resource an exact ARN (object ARNs `<bucket arn>/*` excepted)."
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

  validation {
    condition     = alltrue([for s in var.policy_statements : !contains(s.actions, "*") && !contains(s.resources, "*")])
    error_message = "policy_statements must not use \"*\" as an action or a resource."
  }
}

variable "on_failure" {
  description = "Where Lambda sends what the function's trigger gave up on: `queue_arn`, an SQS queue the role may then write (`SendFailuresToDlq`), watched by a DestinationDeliveryFailures alarm. With `async_retry` (an S3 or EventBridge Scheduler trigger, which invoke asynchronously) an event invoke config on the alias sends there the record of an event that failed its retries (0..2) or outlived its maximum age (60..21600 s); without it, the trigger names the queue itself (a stream mapping's destination_config)."
  type = object({
    queue_arn = string
    async_retry = optional(object({
      maximum_retry_attempts       = number
      maximum_event_age_in_seconds = number
    }))
  })
  default = null

  validation {
    condition = try(var.on_failure.async_retry, null) == null || try(
      var.on_failure.async_retry.maximum_retry_attempts >= 0 && var.on_failure.async_retry.maximum_retry_attempts <= 2 &&
      var.on_failure.async_retry.maximum_event_age_in_seconds >= 60 && var.on_failure.async_retry.maximum_event_age_in_seconds <= 21600,
    false)
    error_message = "on_failure.async_retry.maximum_retry_attempts must be 0..2 and maximum_event_age_in_seconds 60..21600."
  }
}

variable "deployment" {
  description = "How the `live` alias moves to a new version: `all-at-once`, or `canary` (canary_weight of the traffic on the new version while the alias stays on stable_version)."
  type = object({
    strategy       = optional(string, "all-at-once")
    canary_weight  = optional(number, 0.1)
    stable_version = optional(string)
  })
  default = {}

  validation {
    condition     = contains(["all-at-once", "canary"], var.deployment.strategy)
    error_message = "deployment.strategy must be all-at-once or canary."
  }

  validation {
    condition     = var.deployment.canary_weight > 0 && var.deployment.canary_weight < 1
    error_message = "deployment.canary_weight must be between 0 and 1 (exclusive)."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic every alarm of this module notifies."
  type        = string
}

variable "errors_threshold" {
  description = "Alarm when the function reports more errors than this in 5 minutes; null: the LambdaErrors threshold of terraform/contract.json (0)."
  type        = number
  default     = null
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
  description = "ARN of the ADOT Lambda layer in the function's region, added (with AWS_LAMBDA_EXEC_WRAPPER) when the environment sets FANOUT_TRACER = otel; required then, and must be in the function's region."
  type        = string
  default     = null
}
