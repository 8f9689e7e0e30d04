# ---------------------------------------------------------------------------
# One service, from its manifest alone: idempotency table, tables, buckets,
# SQS consumers, HTTP API, stream relays and scheduled jobs. The domain topic
# of a publishing service is created by the environment (module domain-topic)
# because consumers of every service subscribe to it.
# ---------------------------------------------------------------------------

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Names shared with the Java code (shared-lib contract package): environment variables, name patterns, namespace.
  contract  = jsondecode(file("${path.module}/../../contract.json"))
  env_names = local.contract.environment
  m         = var.manifest
  service   = local.m.service
  prefix    = replace(replace(local.contract.names.service, "{env}", var.env), "{service}", local.service)
  tags      = merge(var.tags, { Service = local.service, Owner = local.m.owner })

  consumers = { for c in local.m.consumers : c.name => c }
  http      = { for h in local.m.http : h.name => h }
  streams   = { for s in local.m.streams : s.name => s }
  schedules = { for s in local.m.schedules : s.name => s }
  buckets   = { for b in local.m.buckets : b.name => b }
  tables    = { for t in local.m.tables : t.name => t }

  # Every function of the service by name (unique across triggers: the manifest loader checks it),
  # with the environment it runs with; and how each alias moves to a new version.
  function_specs = merge(
    { for c in local.m.consumers : c.name => c.function },
    { for h in local.m.http : h.name => h.function },
    { for s in local.m.streams : s.name => s.function },
    { for s in local.m.schedules : s.name => s.function },
    { for b in local.m.buckets : b.name => b.function if b.handler != null },
  )
  functions = {
    # `access` becomes the role's statements (function_statements), not an argument of the function.
    for name, f in local.function_specs : name => merge({ for k, v in f : k => v if k != "access" }, { environment = merge(local.environment, f.environment, { (local.env_names.function) = name },
    contains(local.claim_check_users, name) ? { (local.env_names.claim_check_bucket) = var.claim_check.bucket_name } : {}) })
  }
  deployments = {
    for name in distinct(concat(keys(local.function_specs), keys(local.buckets))) : name => {
      strategy       = var.deployment.strategy
      canary_weight  = var.deployment.canary_weight
      stable_version = lookup(var.stable_versions, "${local.prefix}-${name}", null)
    }
  }

  # consumer -> publishing service -> the event types of `on` it publishes.
  # One subscription per publishing topic; its filter is those types + `filter`.
  subscriptions = {
    for c in local.m.consumers : c.name => {
      for publisher in distinct([for t in c.on : var.event_type_publishers[t]]) : publisher => {
        topic_arn   = var.topic_arns[publisher]
        event_types = [for t in c.on : t if var.event_type_publishers[t] == publisher]
      }
    }
  }

  # Bucket ARNs are computed from the naming convention: the bucket module's
  # own function needs them before the module exists.
  bucket_arns = {
    for b in local.m.buckets : b.name => "arn:${data.aws_partition.current.partition}:s3:::${local.bucket_names[b.name]}"
  }
  bucket_names = {
    for b in local.m.buckets : b.name => replace(replace(replace(replace(local.contract.names.bucket,
    "{env}", var.env), "{service}", local.service), "{name}", b.name), "{account}", data.aws_caller_identity.current.account_id)
  }

  environment = merge(
    {
      (local.env_names.env)                          = var.env
      (local.env_names.service)                      = local.service
      (local.env_names.powertools_service_name)      = local.service
      (local.env_names.powertools_metrics_namespace) = local.contract.metrics.namespace
      (local.env_names.event_bus_name)               = var.bus_name
      (local.env_names.event_source)                 = local.m.source
      (local.env_names.idempotency_table)            = module.idempotency_table.table_name
    },
    { for name, t in module.table : "${local.env_names.table_prefix}${upper(replace(name, "-", "_"))}" => t.table_name },
    { for name, b in local.buckets : "${local.env_names.bucket_prefix}${upper(replace(name, "-", "_"))}" => local.bucket_names[name] },
  )

  # Event types of this service that travel as claim checks when too large for SNS (ADR 0004), and
  # which functions therefore put payloads into, or read them from, the platform's claim-check bucket.
  claim_check_puts = {
    for name, f in local.function_specs : name => [for t in f.access.publishes : t if contains(var.claim_check.event_types, t)]
  }
  claim_check_gets = {
    for c in local.m.consumers : c.name => [for t in c.on : t if contains(var.claim_check.event_types, t)]
  }
  claim_check_users = [for name in keys(local.function_specs) : name if length(local.claim_check_puts[name]) > 0 || length(lookup(local.claim_check_gets, name, [])) > 0]

  # The zip each function runs from (ADR 0107): <service>-function.zip less the optional SDK
  # clients it never calls, named in its file name (<service>-function-without-eventbridge-sqs.zip):
  # EventBridge and SQS where it neither consumes nor publishes; S3 where it does not call S3 (no
  # bucket trigger, no bucket grant, no claim checks) but other functions of the service do.
  # shared-lib's FunctionPackages applies the same rule to the build.
  s3_callers = [for name, f in local.function_specs : name if(
    contains([for b in local.m.buckets : b.name if b.handler != null], name)
    || length(f.access.buckets) > 0 || contains(local.claim_check_users, name)
  )]
  clients_left_out = {
    for name, f in local.function_specs : name => sort(concat(
      !contains(keys(local.consumers), name) && length(f.access.publishes) == 0 ? ["eventbridge", "sqs"] : [],
      length(local.s3_callers) > 0 && !contains(local.s3_callers, name) ? ["s3"] : [],
    ))
  }
  package_paths = {
    for name, left_out in local.clients_left_out : name => format("%s/%s/target/%s-function%s.zip", var.services_dir, local.service,
    local.service, length(left_out) > 0 ? "-without-${join("-", left_out)}" : "")
  }

  # Each function's own statements besides its trigger, logs, traces and the key: least privilege
  # from its manifest `access` block (docs/manifest.md), never the whole service's.
  function_statements = {
    for name, f in local.function_specs : name => concat(
      # The consumer runtime's idempotency records (shared-lib DynamoDbPersistenceStore), unless the
      # consumer keeps none (idempotency: none, ADR 0098).
      contains(keys(local.consumers), name) && try(local.consumers[name].idempotency, "records") == "records" ? [
        {
          sid        = "IdempotencyRecords"
          actions    = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
          resources  = [module.idempotency_table.table_arn]
          conditions = []
        },
      ] : [],
      [
        for table, actions in f.access.tables : {
          sid        = "Table${replace(title(replace(table, "-", " ")), " ", "")}"
          actions    = actions
          resources  = [module.table[table].table_arn]
          conditions = []
        }
      ],
      length(f.access.publishes) > 0 ? [
        {
          sid       = "PublishOwnEventsOnly"
          actions   = ["events:PutEvents"]
          resources = [var.bus_arn]
          conditions = [
            { test = "StringEquals", variable = "events:source", values = [local.m.source] },
            { test = "StringEquals", variable = "events:detail-type", values = f.access.publishes },
          ]
        },
      ] : [],
      # Secrets are created outside Terraform (no value in code or state); Secrets Manager appends
      # six random characters to a secret's ARN, hence the "-??????" of the documented pattern.
      length(f.access.secrets) > 0 ? [
        {
          sid        = "ReadOwnSecrets"
          actions    = ["secretsmanager:GetSecretValue"]
          resources  = [for name in f.access.secrets : "arn:${data.aws_partition.current.partition}:secretsmanager:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:secret:${name}-??????"]
          conditions = []
        },
      ] : [],
      [
        for bucket, actions in f.access.buckets : {
          sid        = "Bucket${replace(title(replace(bucket, "-", " ")), " ", "")}Objects"
          actions    = actions
          resources  = ["${local.bucket_arns[bucket]}/*"]
          conditions = []
        }
      ],
      length(local.claim_check_puts[name]) > 0 ? [
        {
          sid        = "PutClaimChecks"
          actions    = ["s3:PutObject"]
          resources  = [for t in local.claim_check_puts[name] : "${var.claim_check.bucket_arn}/claim-checks/${local.m.source}/${t}/*"]
          conditions = []
        },
      ] : [],
      length(lookup(local.claim_check_gets, name, [])) > 0 ? [
        {
          sid        = "GetClaimChecks"
          actions    = ["s3:GetObject"]
          resources  = [for t in local.claim_check_gets[name] : "${var.claim_check.bucket_arn}/claim-checks/*/${t}/*"]
          conditions = []
        },
      ] : [],
      # What the platform cannot derive (an SES identity, an SSM parameter), allow-listed by the manifest loader.
      [
        for p in f.access.permissions : {
          sid        = p.sid
          actions    = p.actions
          resources  = [for r in p.resources : replace(replace(replace(replace(r, "{partition}", data.aws_partition.current.partition), "{region}", data.aws_region.current.region), "{account}", data.aws_caller_identity.current.account_id), "{env}", var.env)]
          conditions = []
        }
      ],
    )
  }
}

# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

module "idempotency_table" {
  source = "../idempotency-table"

  name                       = replace(replace(local.contract.names.idempotency_table, "{env}", var.env), "{service}", local.service)
  kms_key_arn                = var.kms_key_arn
  enable_deletion_protection = var.enable_deletion_protection
  tags                       = local.tags
}

module "table" {
  source   = "../idempotency-table"
  for_each = local.tables

  name                       = replace(replace(replace(local.contract.names.table, "{env}", var.env), "{service}", local.service), "{name}", each.key)
  hash_key                   = each.value.key.partition
  range_key                  = each.value.key.sort
  ttl_attribute              = each.value.ttl_attribute
  stream_view_type           = each.value.stream
  kms_key_arn                = var.kms_key_arn
  enable_deletion_protection = var.enable_deletion_protection
  tags                       = local.tags
}

# ---------------------------------------------------------------------------
# SQS consumers
# ---------------------------------------------------------------------------

module "consumer" {
  source   = "../consumer"
  for_each = local.consumers

  env                = var.env
  service            = local.service
  name               = each.key
  handler_class      = each.value.handler
  subscriptions      = local.subscriptions[each.key]
  filter_json        = each.value.filter
  batch              = each.value.batch
  function           = local.functions[each.key]
  queue              = each.value.queue
  package_path       = local.package_paths[each.key]
  kms_key_arn        = var.kms_key_arn
  policy_statements  = local.function_statements[each.key]
  log_retention_days = var.log_retention_days
  alarm_topic_arn    = var.alarm_topic_arn
  runbook_url_prefix = var.runbook_url_prefix
  otel_layer_arn     = var.otel_layer_arn
  tags               = local.tags

  deployment = local.deployments[each.key]
}

# ---------------------------------------------------------------------------
# HTTP APIs
# ---------------------------------------------------------------------------

module "http_api" {
  source   = "../http-api"
  for_each = local.http

  env                = var.env
  service            = local.service
  name               = each.key
  handler_class      = each.value.handler
  routes             = each.value.routes
  authorization      = each.value.authorization
  jwt_issuer         = var.jwt_issuer
  jwt_audience       = var.jwt_audience
  function           = local.functions[each.key]
  package_path       = local.package_paths[each.key]
  kms_key_arn        = var.kms_key_arn
  policy_statements  = local.function_statements[each.key]
  log_retention_days = var.log_retention_days
  alarm_topic_arn    = var.alarm_topic_arn
  runbook_url_prefix = var.runbook_url_prefix
  otel_layer_arn     = var.otel_layer_arn
  tags               = local.tags

  deployment = local.deployments[each.key]
}

# ---------------------------------------------------------------------------
# Stream relays
# ---------------------------------------------------------------------------

module "stream_relay" {
  source   = "../stream-relay"
  for_each = local.streams

  env               = var.env
  service           = local.service
  name              = each.key
  handler_class     = each.value.handler
  table_arn         = module.table[each.value.table].table_arn
  stream_arn        = module.table[each.value.table].stream_arn
  batch             = each.value.batch
  filters           = each.value.filter
  function          = local.functions[each.key]
  package_path      = local.package_paths[each.key]
  kms_key_arn       = var.kms_key_arn
  policy_statements = local.function_statements[each.key]

  parallelization_factor = each.value.parallelization_factor
  log_retention_days     = var.log_retention_days
  alarm_topic_arn        = var.alarm_topic_arn
  runbook_url_prefix     = var.runbook_url_prefix
  otel_layer_arn         = var.otel_layer_arn
  tags                   = local.tags

  deployment = local.deployments[each.key]
}

# ---------------------------------------------------------------------------
# Scheduled jobs
# ---------------------------------------------------------------------------

module "scheduled_job" {
  source   = "../scheduled-job"
  for_each = local.schedules

  env                 = var.env
  service             = local.service
  name                = each.key
  handler_class       = each.value.handler
  schedule_expression = each.value.expression
  timezone            = each.value.timezone
  function            = local.functions[each.key]
  package_path        = local.package_paths[each.key]
  kms_key_arn         = var.kms_key_arn
  policy_statements   = local.function_statements[each.key]
  log_retention_days  = var.log_retention_days
  alarm_topic_arn     = var.alarm_topic_arn
  runbook_url_prefix  = var.runbook_url_prefix
  otel_layer_arn      = var.otel_layer_arn
  tags                = local.tags

  deployment = local.deployments[each.key]
}

# ---------------------------------------------------------------------------
# Buckets (and their ObjectCreated functions)
# ---------------------------------------------------------------------------

module "bucket" {
  source   = "../bucket"
  for_each = local.buckets

  env     = var.env
  service = local.service
  name    = each.key
  notification = each.value.handler == null ? null : {
    handler_class = each.value.handler
    prefix        = each.value.prefix
    suffixes      = each.value.suffixes
    function      = local.functions[each.key]
  }
  package_path       = lookup(local.package_paths, each.key, "")
  kms_key_arn        = var.kms_key_arn
  policy_statements  = lookup(local.function_statements, each.key, [])
  log_retention_days = var.log_retention_days
  alarm_topic_arn    = var.alarm_topic_arn
  runbook_url_prefix = var.runbook_url_prefix
  otel_layer_arn     = var.otel_layer_arn
  tags               = local.tags

  deployment = local.deployments[each.key]
}
