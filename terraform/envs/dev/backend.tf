# Remote state in S3 with S3-native locking (use_lockfile; no DynamoDB lock
# table). The bucket is created once per account, outside this configuration
# (see terraform/README.md, "State"); override with -backend-config.
terraform {
  backend "s3" {
    bucket       = "fanout-terraform-state"
    key          = "envs/dev/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
