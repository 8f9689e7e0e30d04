variable "env" {
  description = "Environment name, the first segment of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must match ^[a-z][a-z0-9]{1,9}$."
  }
}

variable "manifest" {
  description = "One decoded `services/<name>/service.yaml` (docs/manifest.md), with each consumer's `filter` already JSON-encoded by the environment."
  type = object({
    service     = string
    source      = string
    description = string
    owner       = string
    publishes = optional(list(object({
      type        = string
      version     = number
      schema      = string
      claim_check = optional(bool, false)
    })), [])
    consumers = optional(list(object({
      name    = string
      handler = string
      on      = list(string)
      filter  = optional(string, "{}")
      batch = object({
        size            = number
        window_seconds  = optional(number, 0)
        max_concurrency = optional(number)
      })
      function = object({
        memory_mb            = number
        timeout_seconds      = number
        reserved_concurrency = number
        environment          = optional(map(string), {})
        access = optional(object({
          publishes = optional(list(string), [])
          tables    = optional(map(list(string)), {})
          buckets   = optional(map(list(string)), {})
          secrets   = optional(list(string), [])
          permissions = optional(list(object({
            sid       = string
            actions   = list(string)
            resources = list(string)
          })), [])
        }), {})
      })
      queue = object({
        visibility_timeout_seconds = number
        max_receive_count          = number
      })
      idempotency = optional(string, "records")
    })), [])
    http = optional(list(object({
      name    = string
      handler = string
      routes  = list(string)
      authorization = object({
        type   = string
        scopes = optional(map(list(string)), {})
      })
      function = object({
        memory_mb            = number
        timeout_seconds      = number
        reserved_concurrency = number
        environment          = optional(map(string), {})
        access = optional(object({
          publishes = optional(list(string), [])
          tables    = optional(map(list(string)), {})
          buckets   = optional(map(list(string)), {})
          secrets   = optional(list(string), [])
          permissions = optional(list(object({
            sid       = string
            actions   = list(string)
            resources = list(string)
          })), [])
        }), {})
      })
    })), [])
    streams = optional(list(object({
      name    = string
      handler = string
      table   = string
      batch = object({
        size           = number
        window_seconds = optional(number, 0)
      })
      function = object({
        memory_mb            = number
        timeout_seconds      = number
        reserved_concurrency = number
        environment          = optional(map(string), {})
        access = optional(object({
          publishes = optional(list(string), [])
          tables    = optional(map(list(string)), {})
          buckets   = optional(map(list(string)), {})
          secrets   = optional(list(string), [])
          permissions = optional(list(object({
            sid       = string
            actions   = list(string)
            resources = list(string)
          })), [])
        }), {})
      })
      filter                 = optional(list(string), [])
      parallelization_factor = optional(number, 1)
    })), [])
    schedules = optional(list(object({
      name       = string
      handler    = string
      expression = string
      timezone   = optional(string, "UTC")
      function = object({
        memory_mb            = number
        timeout_seconds      = number
        reserved_concurrency = number
        environment          = optional(map(string), {})
        access = optional(object({
          publishes = optional(list(string), [])
          tables    = optional(map(list(string)), {})
          buckets   = optional(map(list(string)), {})
          secrets   = optional(list(string), [])
          permissions = optional(list(object({
            sid       = string
            actions   = list(string)
            resources = list(string)
          })), [])
        }), {})
      })
    })), [])
    buckets = optional(list(object({
      name     = string
      handler  = optional(string)
      prefix   = optional(string, "")
      suffixes = optional(list(string), [])
      function = optional(object({
        memory_mb            = number
        timeout_seconds      = number
        reserved_concurrency = number
        environment          = optional(map(string), {})
        access = optional(object({
          publishes = optional(list(string), [])
          tables    = optional(map(list(string)), {})
          buckets   = optional(map(list(string)), {})
          secrets   = optional(list(string), [])
          permissions = optional(list(object({
            sid       = string
            actions   = list(string)
            resources = list(string)
          })), [])
        }), {})
      }))
    })), [])
    tables = optional(list(object({
      name = string
      key = object({
        partition = string
        sort      = optional(string)
      })
      stream        = optional(string)
      ttl_attribute = optional(string)
    })), [])
    secrets = optional(list(string), [])
  })

  validation {
    condition     = alltrue([for s in var.manifest.secrets : can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", s))])
    error_message = "manifest.secrets must be Secrets Manager secret names ([A-Za-z0-9/_+=.@-], at most 512 characters)."
  }

  # The allow-lists of function `access` (docs/manifest.md, "Least privilege"); the manifest loader
  # (shared-lib AccessReader) checks the same lists, and a test compares the two.
  validation {
    condition = alltrue(flatten([for f in concat([for c in var.manifest.consumers : c.function], [for h in var.manifest.http : h.function], [for s in var.manifest.streams : s.function], [for s in var.manifest.schedules : s.function], [for b in var.manifest.buckets : b.function if b.function != null]) : [
      for actions in values(f.access.tables) : [for a in actions : contains(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"], a)]
    ]]))
    error_message = "function.access.tables may grant only dynamodb:GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, ConditionCheckItem, BatchGetItem, BatchWriteItem (no wildcards)."
  }

  validation {
    condition = alltrue(flatten([for f in concat([for c in var.manifest.consumers : c.function], [for h in var.manifest.http : h.function], [for s in var.manifest.streams : s.function], [for s in var.manifest.schedules : s.function], [for b in var.manifest.buckets : b.function if b.function != null]) : [
      for actions in values(f.access.buckets) : [for a in actions : contains(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], a)]
    ]]))
    error_message = "function.access.buckets may grant only s3:GetObject, s3:PutObject, s3:DeleteObject (no wildcards)."
  }

  validation {
    condition = alltrue(flatten([for f in concat([for c in var.manifest.consumers : c.function], [for h in var.manifest.http : h.function], [for s in var.manifest.streams : s.function], [for s in var.manifest.schedules : s.function], [for b in var.manifest.buckets : b.function if b.function != null]) : [
      for p in f.access.permissions : concat(
        [for a in p.actions : contains(["ses:SendEmail", "ses:SendRawEmail", "ssm:GetParameter", "ssm:GetParameters"], a)],
        [for r in p.resources : can(regex("^arn:(\\{partition\\}|aws[a-z-]*):[a-z0-9-]+:(\\{region\\}|[a-z0-9-]+):(\\{account\\}|[0-9]{12}):[^*?\\s]+$", r))],
      )
    ]]))
    error_message = "function.access.permissions may grant only ses:SendEmail, ses:SendRawEmail, ssm:GetParameter, ssm:GetParameters, each on exact ARNs (arn:{partition}:<service>:{region}:{account}:<resource>, no * or ?)."
  }

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.manifest.service))
    error_message = "manifest.service must match ^[a-z][a-z0-9-]{1,30}$."
  }

  # ADR 0098; the manifest loader (shared-lib ManifestLoader) checks the same.
  validation {
    condition     = alltrue([for c in var.manifest.consumers : contains(["records", "none"], c.idempotency) && (c.idempotency == "records" || length(c.function.access.publishes) == 0)])
    error_message = "a consumer's idempotency must be records or none, and none is for consumers that publish nothing."
  }

  validation {
    condition     = alltrue([for c in var.manifest.consumers : c.queue.visibility_timeout_seconds >= 6 * c.function.timeout_seconds])
    error_message = "every consumer's queue.visibility_timeout_seconds must be >= 6 x function.timeout_seconds."
  }

  validation {
    condition     = alltrue([for b in var.manifest.buckets : b.handler == null || b.function != null])
    error_message = "a bucket with a handler needs a function block."
  }

  validation {
    condition     = alltrue([for s in var.manifest.streams : contains([for t in var.manifest.tables : t.name if t.stream != null], s.table)])
    error_message = "every stream must name one of the service's tables that declares `stream`."
  }
}

variable "event_type_publishers" {
  description = "Publishing service of every event type of the platform (detail-type -> service), derived from all manifests."
  type        = map(string)

  validation {
    condition     = length(var.event_type_publishers) > 0
    error_message = "event_type_publishers must not be empty."
  }
}

variable "claim_check" {
  description = "The platform's claim-check bucket (name and ARN) and every event type, across services, whose manifest sets `claim_check: true` (ADR 0004)."
  type = object({
    bucket_name = string
    bucket_arn  = string
    event_types = list(string)
  })
}

variable "topic_arns" {
  description = "Domain topic ARN of every publishing service (service -> topic ARN)."
  type        = map(string)
}

variable "services_dir" {
  description = "Path of the repository's services/ directory; a function's code is `<services_dir>/<service>/target/<service>-function.zip`, or `<service>-function-without-<clients>.zip` naming the optional SDK clients the function never calls (ADR 0107)."
  type        = string
}

variable "bus_name" {
  description = "Name of the platform event bus (passed to the functions as EVENT_BUS_NAME)."
  type        = string
}

variable "bus_arn" {
  description = "ARN of the platform event bus the service publishes to."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the environment's customer-managed key."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic every alarm of the service notifies."
  type        = string
}

variable "deployment" {
  description = "How every function alias of the service moves to a new version: strategy (all-at-once or canary) and canary weight."
  type = object({
    strategy      = optional(string, "all-at-once")
    canary_weight = optional(number, 0.1)
  })
  default = {}
}

variable "stable_versions" {
  description = "Canary only: the version each function's alias stays on while the new one takes canary_weight, by function name. A function absent from the map moves all at once."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of every log group of the service, in days."
  type        = number
  default     = 30
}

variable "enable_deletion_protection" {
  description = "Protect the service's tables from deletion."
  type        = bool
  default     = true
}

variable "runbook_url_prefix" {
  description = "Prefix put in front of `runbooks/<AlarmKind>.md` in alarm descriptions; empty for a repository-relative link."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags applied to every taggable resource; the service adds Service and Owner."
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
