# ---------------------------------------------------------------------------
# One environment of the fan-out platform. Everything is in modules/platform;
# this file is identical in every environment (a test checks it), and what
# differs lives in terraform.tfvars and backend.tf.
# ---------------------------------------------------------------------------

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Platform    = "fanout"
      Environment = var.env
      ManagedBy   = "terraform"
    }
  }
}

module "platform" {
  source = "../../modules/platform"

  services_dir               = "${path.root}/../../../services"
  env                        = var.env
  cost_center                = var.cost_center
  deployment                 = var.deployment
  stable_function_versions   = var.stable_function_versions
  log_retention_days         = var.log_retention_days
  archive_retention_days     = var.archive_retention_days
  enable_deletion_protection = var.enable_deletion_protection
  runbook_url_prefix         = var.runbook_url_prefix
  otel_layer_arn             = var.otel_layer_arn
  jwt_issuer                 = var.jwt_issuer
  jwt_audience               = var.jwt_audience
}
