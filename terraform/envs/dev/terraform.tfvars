env                        = "dev"
region                     = "eu-west-1"
log_retention_days         = 14
archive_retention_days     = 7
enable_deletion_protection = false
deployment                 = { strategy = "all-at-once" }
