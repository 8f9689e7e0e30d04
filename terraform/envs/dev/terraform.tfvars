env                        = "dev"
region                     = "eu-west-1"
log_retention_days         = 14
archive_retention_days     = 7
enable_deletion_protection = false
deployment                 = { strategy = "all-at-once" }

# The OIDC provider whose access tokens the HTTP APIs accept (a Cognito user pool
# here; any OIDC issuer works) and the app client ids the tokens are issued to.
jwt_issuer   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_fanoutdev"
jwt_audience = ["fanout-dev-api"]
