// The offline provider's own parts: the value encoding Terraform reads, the policy documents it
// renders, the values it computes and the schema it serves. Terraform itself exercises the whole
// provider in terraform.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode, decode, decodeTyped, UNKNOWN, Dynamic } from './offline-provider/lib/msgpack.mjs';
import { renderPolicyDocument } from './offline-provider/lib/policy-document.mjs';
import { resourceComputed } from './offline-provider/lib/values.mjs';
import { SCHEMA, blockType } from './offline-provider/lib/schema.mjs';
import { planResourceChange, applyResourceChange, configureProvider } from './offline-provider/lib/provider.mjs';

test('msgpack: every attribute of an object type is written, unknown as extension 0, numbers and nesting round-trip', () => {
  const type = ['object', { a: 'string', n: 'number', f: 'number', b: 'bool', l: ['list', 'string'], m: ['map', 'number'], u: 'string', o: ['object', { x: 'string' }], missing: 'string' }];
  const bytes = encode({ a: 'é'.repeat(40), n: -70000, f: 0.25, b: true, l: ['x', 'y'], m: { k: 1 }, u: UNKNOWN, o: { x: 'y' } }, type);
  assert.deepEqual(decode(bytes), { a: 'é'.repeat(40), n: -70000, f: 0.25, b: true, l: ['x', 'y'], m: { k: 1 }, u: UNKNOWN, o: { x: 'y' }, missing: null });
  assert.deepEqual([...encode(UNKNOWN, 'string')], [0xd4, 0, 0]);
});

test('msgpack: a dynamic value travels as [type JSON, value]', () => {
  const bytes = encode(new Dynamic(['list', 'string'], ['a']), 'dynamic');
  const v = decodeTyped(bytes, 'dynamic');
  assert.deepEqual(v.type, ['list', 'string']);
  assert.deepEqual(v.value, ['a']);
});

test('policy document: one-element lists become strings, longer ones sort in reverse, principals and conditions merge', () => {
  const { json, minified_json: min } = renderPolicyDocument({
    statement: [
      { sid: 'Send', effect: null, actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:000000000000:q'],
        principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
        condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: ['arn:b', 'arn:a'] }] },
      { sid: '', effect: 'Deny', actions: ['sqs:A', 'sqs:C', 'sqs:B'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] },
    ],
  });
  assert.deepEqual(JSON.parse(min), {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Send', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:000000000000:q', Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': ['arn:b', 'arn:a'] } } },
      { Effect: 'Deny', Action: ['sqs:C', 'sqs:B', 'sqs:A'], Resource: '*', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  });
  assert.ok(json.startsWith('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Send"'));
});

test('policy document: statements with a Sid replace those of the source documents and are replaced by the overrides', () => {
  const source = JSON.stringify({ Statement: [{ Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Sid: 'B', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] });
  const override = JSON.stringify({ Statement: [{ Sid: 'B', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] });
  const doc = JSON.parse(renderPolicyDocument({ source_policy_documents: [source], override_policy_documents: [override], statement: [{ sid: 'A', actions: ['s3:ListBucket'], resources: ['*'] }] }).minified_json);
  assert.deepEqual(doc.Statement.map((s) => [s.Sid, s.Effect, s.Action]), [['A', 'Allow', 's3:ListBucket'], ['B', 'Deny', 's3:PutObject']]);
});

test('computed values: the ARN and URL formats of each service', () => {
  const ctx = { region: 'eu-west-1', account: '000000000000' };
  assert.deepEqual(resourceComputed('aws_sqs_queue', { name: 'dev-x' }, ctx), {
    id: 'https://sqs.eu-west-1.amazonaws.com/000000000000/dev-x', url: 'https://sqs.eu-west-1.amazonaws.com/000000000000/dev-x', arn: 'arn:aws:sqs:eu-west-1:000000000000:dev-x',
  });
  const fn = resourceComputed('aws_lambda_function', { function_name: 'dev-f', publish: true }, ctx);
  assert.equal(fn.qualified_arn, 'arn:aws:lambda:eu-west-1:000000000000:function:dev-f:1');
  assert.equal(fn.invoke_arn, 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:000000000000:function:dev-f/invocations');
  assert.match(resourceComputed('aws_kms_key', { description: 'k' }, ctx).arn, /^arn:aws:kms:eu-west-1:000000000000:key\/[0-9a-f-]{36}$/);
  assert.equal(resourceComputed('aws_iam_role', { name: 'r' }, ctx).arn, 'arn:aws:iam::000000000000:role/r');
  assert.equal(resourceComputed('aws_dynamodb_table', { name: 't', stream_enabled: true }, ctx).stream_arn, 'arn:aws:dynamodb:eu-west-1:000000000000:table/t/stream/2026-01-01T00:00:00.000');
  assert.equal(resourceComputed('aws_cloudwatch_event_rule', { name: 'r', event_bus_name: 'dev-fanout' }, ctx).arn, 'arn:aws:events:eu-west-1:000000000000:rule/dev-fanout/r');
});

test('plan leaves computed attributes unknown, apply fills them and keeps every planned value', () => {
  const schema = SCHEMA.resource_schemas.aws_sqs_queue;
  const type = blockType(schema.block);
  const provider = encode({ region: 'eu-west-1' }, blockType(SCHEMA.provider_schema.block));
  assert.deepEqual(configureProvider({ config: { msgpack: provider } }).diagnostics, []);
  const config = { name: 'dev-q', visibility_timeout_seconds: 60 };
  const plan = planResourceChange({ type_name: 'aws_sqs_queue', prior_state: { msgpack: encode(null, type) }, proposed_new_state: { msgpack: encode(config, type) }, config: { msgpack: encode(config, type) } });
  const planned = decodeTyped(plan.planned_state.msgpack, type);
  assert.equal(planned.arn, UNKNOWN);
  assert.equal(planned.url, UNKNOWN);
  assert.equal(planned.region, 'eu-west-1');
  assert.equal(planned.policy, null, 'an optional argument left out stays null');
  const applied = decodeTyped(applyResourceChange({ type_name: 'aws_sqs_queue', planned_state: plan.planned_state }).new_state.msgpack, type);
  assert.equal(applied.arn, 'arn:aws:sqs:eu-west-1:000000000000:dev-q');
  assert.equal(applied.visibility_timeout_seconds, 60);
});

test('a new name replaces the resource, as the real provider\'s ForceNew does; another change plans in place', () => {
  const schema = SCHEMA.resource_schemas.aws_sqs_queue;
  const type = blockType(schema.block);
  const provider = encode({ region: 'eu-west-1' }, blockType(SCHEMA.provider_schema.block));
  assert.deepEqual(configureProvider({ config: { msgpack: provider } }).diagnostics, []);
  const applied = decodeTyped(applyResourceChange({ type_name: 'aws_sqs_queue', planned_state: planResourceChange({ type_name: 'aws_sqs_queue',
    prior_state: { msgpack: encode(null, type) }, proposed_new_state: { msgpack: encode({ name: 'dev-q', visibility_timeout_seconds: 60 }, type) },
    config: { msgpack: encode({ name: 'dev-q', visibility_timeout_seconds: 60 }, type) } }).planned_state }).new_state.msgpack, type);
  const change = (config) => planResourceChange({ type_name: 'aws_sqs_queue', prior_state: { msgpack: encode(applied, type) },
    proposed_new_state: { msgpack: encode({ ...applied, ...config }, type) }, config: { msgpack: encode(config, type) } });
  assert.deepEqual(change({ name: 'dev-q2', visibility_timeout_seconds: 60 }).requires_replace, [{ steps: [{ attribute_name: 'name' }] }]);
  assert.deepEqual(change({ name: 'dev-q', visibility_timeout_seconds: 120 }).requires_replace, []);
});

test('the schema has computed-only attributes, set and list blocks, min/max items, and the types the configuration uses', () => {
  const attr = (t, n) => SCHEMA.resource_schemas[t].block.attributes.find((a) => a.name === n);
  assert.equal(SCHEMA.provider_version, '6.25.0');
  assert.deepEqual([attr('aws_sqs_queue', 'url').computed, attr('aws_sqs_queue', 'url').optional], [true, false]);
  assert.equal(attr('aws_lambda_function', 'function_name').required, true);
  const env = SCHEMA.resource_schemas.aws_lambda_function.block.block_types.find((b) => b.type_name === 'environment');
  assert.deepEqual([env.nesting, env.min_items, env.max_items], ['LIST', 0, 1]);
  const principals = SCHEMA.data_source_schemas.aws_iam_policy_document.block.block_types[0].block.block_types.find((b) => b.type_name === 'principals');
  assert.equal(principals.nesting, 'SET');
  assert.ok(SCHEMA.all_resource_types.length > 1000);
});
