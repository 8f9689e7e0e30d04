env                        = "prod"
region                     = "eu-west-1"
log_retention_days         = 90
archive_retention_days     = 90
enable_deletion_protection = true

# Canary: after an apply that publishes new code, each alias keeps the version
# named here and sends 10% of invocations to the new one. Promote by setting
# the function's entry to the new version (terraform output / aws lambda
# list-versions-by-function) and applying again.
deployment = { strategy = "canary", canary_weight = 0.1 }

stable_function_versions = {}

# The OIDC provider whose access tokens the HTTP APIs accept (a Cognito user pool
# here; any OIDC issuer works) and the app client ids the tokens are issued to.
jwt_issuer   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_fanoutprod"
jwt_audience = ["fanout-prod-api"]
