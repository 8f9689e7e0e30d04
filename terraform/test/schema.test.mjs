// terraform validate stand-in: every resource, data source, argument and block
// of terraform/ exists in the AWS provider 6.25.0 schema, required arguments
// are present and literal values fit their types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig, TERRAFORM_DIR } from './lib/hcl.mjs';
import { SCHEMA, validateConfig } from './lib/schema.mjs';

test('the schema is the AWS provider 6.25.0 one and covers the types we use', async () => {
  assert.equal(SCHEMA.provider_version, '6.25.0');
  const config = await loadConfig();
  for (const m of config.modules) {
    for (const r of m.resources) assert.ok(SCHEMA.resource[r.type], `${r.type} missing from the extracted schema: run make tf-schema`);
    for (const d of m.data) assert.ok(SCHEMA.data[d.type], `data ${d.type} missing from the extracted schema: run make tf-schema`);
  }
});

test('every resource and data block of terraform/ fits the provider schema', async () => {
  assert.deepEqual(validateConfig(await loadConfig()), []);
});

test('the broken fixture is reported: misspelt, unknown type, missing required, wrong type, block misuse', async () => {
  const errors = validateConfig(await loadConfig(join(TERRAFORM_DIR, 'test', 'fixtures', 'broken-schema')));
  const expect = [
    /aws_sqs_queue\.misspelt: unsupported argument or block "visibilty_timeout_seconds"/,
    /no resource type "aws_sqs_queues"/,
    /aws_sns_topic_subscription\.missing_required: missing required argument "protocol"/,
    /aws_sqs_queue\.wrong_type: "delay_seconds" expects number/,
    /aws_lambda_function\.block_misuse: "tracing_config" is a block, written as an argument/,
    /aws_lambda_function\.block_misuse\.snap_start: unsupported argument or block "applies_on"/,
    /aws_lambda_function\.block_misuse: missing required argument "runtime"|aws_scheduler_schedule\.missing_block: missing required block "target"/,
    /aws_scheduler_schedule\.missing_block: missing required block "target"/,
  ];
  for (const re of expect) assert.ok(errors.some((e) => re.test(e)), `expected an error matching ${re}, got:\n${errors.join('\n')}`);
});
