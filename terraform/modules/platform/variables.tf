variable "services_dir" {
  description = "Directory holding services/<name>/service.yaml (and each service's target/<name>-function.zip)."
  type        = string
}

variable "env" {
  description = "Environment name, the first segment of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must match ^[a-z][a-z0-9]{1,9}$."
  }
}

variable "cost_center" {
  description = "Cost center tag of every resource."
  type        = string
  default     = "fanout-platform"
}

variable "deployment" {
  description = "How function aliases move to a new version: strategy all-at-once or canary, and the canary weight (0..1)."
  type = object({
    strategy      = optional(string, "all-at-once")
    canary_weight = optional(number, 0.1)
  })
  default = {}

  validation {
    condition     = contains(["all-at-once", "canary"], var.deployment.strategy)
    error_message = "deployment.strategy must be all-at-once or canary."
  }
}

variable "stable_function_versions" {
  description = "Canary: the version each function's `live` alias stays on (by function name) while the newly published one takes canary_weight. Promote by setting it to the new version, roll back by re-applying the previous code."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of every log group, in days."
  type        = number
  default     = 30
}

variable "archive_retention_days" {
  description = "Retention of the event archive used for replay, in days."
  type        = number
  default     = 30
}

variable "enable_deletion_protection" {
  description = "Protect the tables from deletion."
  type        = bool
  default     = true
}

variable "runbook_url_prefix" {
  description = "Prefix of the runbook links in alarm descriptions (e.g. the repository URL ending with a slash)."
  type        = string
  default     = ""
}

variable "claim_check_expiration_days" {
  description = "Days a claim-checked payload is kept in the platform's claim-check bucket (ADR 0004); longer than a message can live in a queue and then its DLQ (4 + 14 days), so a redriven event still finds its payload."
  type        = number
  default     = 30

  validation {
    condition     = var.claim_check_expiration_days >= 19
    error_message = "claim_check_expiration_days must be at least 19: a message can wait 4 days in its queue and 14 in its DLQ before a redrive."
  }
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
