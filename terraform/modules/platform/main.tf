# ---------------------------------------------------------------------------
# The whole fan-out platform of one environment, from the service manifests:
# key, bus, alarm topic and dashboard, one rule and topic per publishing
# service, and one `service` module per manifest. Every environment calls it;
# what differs between them is only in envs/<env>/terraform.tfvars.
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# Manifests: services/*/service.yaml, the single source of truth
# ---------------------------------------------------------------------------

locals {
  services_dir   = var.services_dir
  manifest_files = fileset(local.services_dir, "*/service.yaml")

  raw_manifests = {
    for f in local.manifest_files : dirname(f) => yamldecode(file("${local.services_dir}/${f}"))
  }

  # A consumer's `filter` has a free shape; it travels as JSON so that the
  # service module can type the rest of the manifest precisely.
  manifests = {
    for name, m in local.raw_manifests : name => merge(m, {
      consumers = [for c in try(m.consumers, []) : merge(c, { filter = jsonencode(try(c.filter, {})) })]
    })
  }

  # Publishing services (one EventBridge rule and SNS topic each).
  publishers = {
    for name, m in local.manifests : name => m.source if length(try(m.publishes, [])) > 0
  }

  # detail-type -> publishing service, across all manifests.
  event_type_publishers = merge([
    for name, m in local.manifests : { for p in try(m.publishes, []) : p.type => name }
  ]...)

  # Event types whose manifest opts in to the claim check (publishes[].claim_check).
  claim_check_types = sort(flatten([
    for name, m in local.manifests : [for p in try(m.publishes, []) : p.type if try(p.claim_check, false)]
  ]))

  # The service whose watchdog emits the SagaStuck metric.
  saga_stuck_service = lookup(local.event_type_publishers, "SagaStuck", null)

  tags = { CostCenter = var.cost_center }
}

# ---------------------------------------------------------------------------
# Platform: key, bus, alarm topic and dashboard
# ---------------------------------------------------------------------------

module "kms" {
  source = "../kms"

  name = "${var.env}-fanout"
  env  = var.env
  tags = local.tags
}

module "event_bus" {
  source = "../event-bus"

  name                   = replace(jsondecode(file("${path.module}/../../contract.json")).names.bus, "{env}", var.env)
  kms_key_arn            = module.kms.key_arn
  archive_retention_days = var.archive_retention_days
  tags                   = local.tags
}

module "observability" {
  source = "../observability"

  env                = var.env
  kms_key_arn        = module.kms.key_arn
  consumers          = merge([for s in module.service : s.consumers]...)
  topic_names        = [for t in module.domain_topic : t.topic_name]
  saga_stuck         = local.saga_stuck_service == null ? null : { service = local.saga_stuck_service }
  runbook_url_prefix = var.runbook_url_prefix
  tags               = local.tags
}

# ---------------------------------------------------------------------------
# Claim checks: payloads of opted-in event types too large for SNS (ADR 0004)
# ---------------------------------------------------------------------------

module "claim_check_bucket" {
  source = "../bucket"

  env                = var.env
  service            = "fanout"
  name               = "claim-checks"
  expiration_days    = var.claim_check_expiration_days
  package_path       = ""
  kms_key_arn        = module.kms.key_arn
  alarm_topic_arn    = module.observability.alarm_topic_arn
  runbook_url_prefix = var.runbook_url_prefix
  tags               = local.tags
}

# ---------------------------------------------------------------------------
# Domain topics: one rule + SNS topic per publishing service
# ---------------------------------------------------------------------------

module "domain_topic" {
  source   = "../../modules/domain-topic"
  for_each = local.publishers

  env                = var.env
  service            = each.key
  event_source       = each.value
  bus_name           = module.event_bus.bus_name
  kms_key_arn        = module.kms.key_arn
  alarm_topic_arn    = module.observability.alarm_topic_arn
  runbook_url_prefix = var.runbook_url_prefix
  tags               = merge(local.tags, { Service = each.key, Owner = local.manifests[each.key].owner })
}

# ---------------------------------------------------------------------------
# Services: everything else, one module instance per manifest
# ---------------------------------------------------------------------------

module "service" {
  source   = "../../modules/service"
  for_each = local.manifests

  env                        = var.env
  manifest                   = each.value
  event_type_publishers      = local.event_type_publishers
  topic_arns                 = { for name, t in module.domain_topic : name => t.topic_arn }
  services_dir               = local.services_dir
  bus_name                   = module.event_bus.bus_name
  bus_arn                    = module.event_bus.bus_arn
  kms_key_arn                = module.kms.key_arn
  alarm_topic_arn            = module.observability.alarm_topic_arn
  deployment                 = var.deployment
  stable_versions            = var.stable_function_versions
  log_retention_days         = var.log_retention_days
  enable_deletion_protection = var.enable_deletion_protection
  runbook_url_prefix         = var.runbook_url_prefix
  otel_layer_arn             = var.otel_layer_arn
  jwt_issuer                 = var.jwt_issuer
  jwt_audience               = var.jwt_audience
  tags                       = local.tags

  claim_check = {
    bucket_name = module.claim_check_bucket.bucket_name
    bucket_arn  = module.claim_check_bucket.bucket_arn
    event_types = local.claim_check_types
  }
}
