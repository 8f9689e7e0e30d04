# terraform test for an environment (envs/dev, envs/prod), run by terraform/test/terraform.test.mjs
# with the real manifests and function zips and a mocked AWS provider: the environment plans and
# a mocked apply succeeds, its outputs cover every manifest, and every consumer is subscribed to
# the topic of each service publishing a type it is "on", with a filter policy on those types. The
# other detailed facts (resource count per type, function environments, alarms, role statements)
# are asserted on Terraform's own plan and state JSON by the node checks, because a test file can
# read only the root module's outputs, not the resources inside modules/platform.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "000000000000"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  # A stream relay checks that it is given a DynamoDB stream ARN.
  mock_resource "aws_dynamodb_table" {
    defaults = {
      stream_arn = "arn:aws:dynamodb:eu-west-1:000000000000:table/mock/stream/2026-01-01T00:00:00.000"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

run "plan" {
  command = plan

  assert {
    condition = sort(keys(output.consumers)) == sort(flatten([
      for f in fileset("${path.root}/../../../services", "*/service.yaml") : [
        for c in try(yamldecode(file("${path.root}/../../../services/${f}")).consumers, []) : "${dirname(f)}-${c.name}"
      ]
    ]))
    error_message = "Every consumer of every manifest is an output of the environment."
  }

  assert {
    condition = sort(keys(output.topic_arns)) == sort([
      for f in fileset("${path.root}/../../../services", "*/service.yaml") : dirname(f)
      if length(try(yamldecode(file("${path.root}/../../../services/${f}")).publishes, [])) > 0
    ])
    error_message = "One domain topic per publishing service."
  }

  assert {
    condition = alltrue([
      for key, c in output.consumers :
      c.queue_name == "${var.env}-${key}" && c.dlq_name == "${var.env}-${key}-dlq" && c.function_name == "${var.env}-${key}"
    ])
    error_message = "Each consumer's queue, DLQ and function are named <env>-<service>-<consumer>[-dlq]."
  }
}

run "subscriptions" {
  command = plan

  # Every (consumer, publisher) pair the manifests imply has a subscription, and its filter policy's
  # detail-type lists exactly the consumer's types that publisher publishes; no other pair has one.
  assert {
    condition = alltrue(flatten([
      for f in fileset("${path.root}/../../../services", "*/service.yaml") : [
        for c in try(yamldecode(file("${path.root}/../../../services/${f}")).consumers, []) : [
          for pf in fileset("${path.root}/../../../services", "*/service.yaml") : (
            length(setintersection(c["on"], [for p in try(yamldecode(file("${path.root}/../../../services/${pf}")).publishes, []) : p.type])) == 0
            ? !contains(keys(try(output.subscriptions["${dirname(f)}-${c.name}"], {})), dirname(pf))
            : sort(jsondecode(output.subscriptions["${dirname(f)}-${c.name}"][dirname(pf)])["detail-type"]) == sort(tolist(
              setintersection(c["on"], [for p in try(yamldecode(file("${path.root}/../../../services/${pf}")).publishes, []) : p.type])
            ))
          )
        ]
      ]
    ]))
    error_message = "Each consumer is subscribed to the topic of every service publishing one of its types, filtered on exactly those types."
  }
}

run "apply" {
  command = apply

  assert {
    condition     = alltrue([for name, arn in output.topic_arns : length(arn) > 0])
    error_message = "Every domain topic has an ARN after apply."
  }

  assert {
    condition     = output.event_bus_name == "${var.env}-fanout"
    error_message = "The bus is named <env>-fanout."
  }
}
