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

variable "routes" {
  description = "Route keys served by the function, `METHOD /path` with path parameters in braces (manifest `http[].routes`)."
  type        = list(string)

  validation {
    condition     = length(var.routes) > 0 && alltrue([for r in var.routes : can(regex("^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /[A-Za-z0-9/{}_.+-]*$", r))])
    error_message = "routes must be non-empty and look like `POST /orders` or `GET /orders/{id}`."
  }
}

variable "authorization" {
  description = "Who may call the routes (manifest `http[].authorization`): `jwt` with the scopes of each route (a token needs one of them), or `iam` (SigV4, service-to-service)."
  type = object({
    type   = string
    scopes = optional(map(list(string)), {})
  })

  validation {
    condition     = contains(["jwt", "iam"], var.authorization.type)
    error_message = "authorization.type must be jwt or iam."
  }
}

variable "throttling" {
  description = "Default route throttling of the stage: burst (requests) and steady rate (requests per second)."
  type = object({
    burst_limit = optional(number, 100)
    rate_limit  = optional(number, 50)
  })
  default = {}

  validation {
    condition     = var.throttling.burst_limit >= 1 && var.throttling.rate_limit >= 1
    error_message = "throttling limits must be >= 1."
  }
}

variable "server_errors_threshold" {
  description = "Alarm when the API returns more 5xx responses than this in 5 minutes; null: the ApiServerErrors threshold of terraform/contract.json (5)."
  type        = number
  default     = null
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

variable "jwt_issuer" {
  description = "Issuer (`iss`) of the access tokens the HTTP APIs' JWT authorizer accepts: an OIDC provider's issuer URL, e.g. a Cognito user pool's `https://cognito-idp.<region>.amazonaws.com/<pool id>`."
  type        = string

  validation {
    condition     = can(regex("^https://[^\\s]+$", var.jwt_issuer))
    error_message = "jwt_issuer must be an https URL (API Gateway fetches its OpenID configuration and JWKS)."
  }
}

variable "jwt_audience" {
  description = "Audiences (`aud`, or `client_id` for Cognito access tokens) of which a token must name one."
  type        = list(string)

  validation {
    condition     = length(var.jwt_audience) > 0
    error_message = "jwt_audience must name at least one audience."
  }
}

variable "otel_layer_arn" {
  description = "ARN of the ADOT Lambda layer (its collector exports to X-Ray) in this region, for the functions whose manifest selects FANOUT_TRACER = otel; null while none does."
  type        = string
  default     = null
}
