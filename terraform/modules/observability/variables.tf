variable "env" {
  description = "Environment name; the alarm topic is `<env>-fanout-alarms`, the dashboard `<env>-fanout`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must match ^[a-z][a-z0-9]{1,9}$."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the alarm topic."
  type        = string
}

variable "consumers" {
  description = "Every consumer of the environment, by `<service>-<consumer>`: its queue, DLQ and function names (dashboard rows)."
  type = map(object({
    queue_name    = string
    dlq_name      = string
    function_name = string
  }))
  default = {}
}

variable "topic_names" {
  description = "Names of the domain topics (dashboard row)."
  type        = list(string)
  default     = []
}

variable "saga_stuck" {
  description = "Where the SagaStuck metric comes from: the service that emits it (its dimension; metric, namespace and dimension name are in terraform/contract.json), null when no service publishes SagaStuck."
  type = object({
    service   = string
    threshold = optional(number, 0)
  })
  default = null
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
