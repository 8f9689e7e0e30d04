// Wiring: the expected platform is derived here, in JavaScript, from the
// manifests alone; the Terraform is then "planned" (lib/plan.mjs evaluates
// the environment's locals, module arguments, for_each, count and every
// argument) and the resulting instances must match that expectation exactly,
// with nothing missing and nothing orphaned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { TERRAFORM_DIR, REPO_DIR } from './lib/hcl.mjs';
import { planEnv } from './lib/plan.mjs';
import { isUnknown } from './lib/hcl-eval.mjs';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

// ----------------------------------------------------------- expectation
function loadManifests(servicesDir) {
  return Object.fromEntries(readdirSync(servicesDir).filter((d) => existsSync(join(servicesDir, d, 'service.yaml'))).sort()
    .map((d) => [d, YAML.parse(readFileSync(join(servicesDir, d, 'service.yaml'), 'utf8'))]));
}
function expected(manifests) {
  const publisherOf = {};
  for (const [name, m] of Object.entries(manifests)) for (const p of m.publishes ?? []) publisherOf[p.type] = name;
  const consumers = {};
  for (const [svc, m] of Object.entries(manifests)) {
    for (const c of m.consumers ?? []) {
      const subs = {};
      for (const t of c.on) (subs[publisherOf[t]] ??= []).push(t);
      consumers[`${svc}/${c.name}`] = {
        svc, c,
        subscriptions: Object.fromEntries(Object.entries(subs).map(([p, types]) => [p, { 'detail-type': types, ...(c.filter ?? {}) }])),
      };
    }
  }
  return { publisherOf, consumers, publishers: Object.keys(manifests).filter((n) => (manifests[n].publishes ?? []).length > 0) };
}

const ENV = 'dev';
// Names and metrics shared with the Java code (generated from shared-lib's contract package).
const CONTRACT = JSON.parse(readFileSync(join(TERRAFORM_DIR, 'contract.json'), 'utf8'));
const named = (pattern, vars) => CONTRACT.names[pattern].replace(/\{([a-z]+)\}/g, (_, k) => vars[k]);
const manifests = loadManifests(join(REPO_DIR, 'services'));
const want = expected(manifests);
const dev = await planEnv(join(TERRAFORM_DIR, 'envs', 'dev'));
const prod = await planEnv(join(TERRAFORM_DIR, 'envs', 'prod'));

const at = (plan, address) => plan.instances.find((i) => i.address === address);
const all = (plan, type, prefix = '') => plan.instances.filter((i) => i.type === type && i.address.startsWith(prefix));
// Every environment calls modules/platform; the platform's own modules live under it.
const PLATFORM = 'module.platform.';
const svcAddr = (svc) => `${PLATFORM}module.service["${svc}"].`;
const label = (v) => (isUnknown(v) ? v.label : String(v));

// ----------------------------------------------------------- tests
test('manifests: every consumed event type is published by some service', () => {
  for (const { c, svc } of Object.values(want.consumers)) for (const t of c.on) assert.ok(want.publisherOf[t], `${svc}/${c.name} consumes ${t}, which no manifest publishes`);
});

test('manifests: service equals its directory; sources and event types are unique across services', () => {
  const sources = new Set(), types = new Set();
  for (const [dir, m] of Object.entries(manifests)) {
    assert.equal(m.service, dir, `services/${dir}/service.yaml names service ${m.service}`);
    assert.ok(!sources.has(m.source), `duplicate source ${m.source}`);
    sources.add(m.source);
    for (const p of m.publishes ?? []) { assert.ok(!types.has(p.type), `duplicate event type ${p.type}`); types.add(p.type); }
  }
});

test('manifests: visibility timeout >= 6 x function timeout, max_concurrency <= reserved concurrency', () => {
  for (const { c, svc } of Object.values(want.consumers)) {
    assert.ok(c.queue.visibility_timeout_seconds >= 6 * c.function.timeout_seconds, `${svc}/${c.name}`);
    if (c.batch.max_concurrency !== undefined) assert.ok(c.batch.max_concurrency <= c.function.reserved_concurrency, `${svc}/${c.name}`);
  }
});

test('envs: dev and prod plan without errors and without dropped manifest keys', () => {
  assert.deepEqual(dev.errors, []);
  assert.deepEqual(dev.warnings, []);
  assert.deepEqual(prod.errors, []);
  assert.deepEqual(prod.warnings, []);
});

test('envs: main.tf and variables.tf are identical in every environment; prod deploys by canary', async () => {
  for (const f of ['main.tf', 'variables.tf', 'versions.tf', 'outputs.tf']) assert.equal(readFileSync(join(TERRAFORM_DIR, 'envs/dev', f), 'utf8'), readFileSync(join(TERRAFORM_DIR, 'envs/prod', f), 'utf8'), f);
  const tfvars = readFileSync(join(TERRAFORM_DIR, 'envs/prod/terraform.tfvars'), 'utf8');
  assert.match(tfvars, /strategy\s*=\s*"canary"/);
  for (const e of ['dev', 'prod']) assert.match(readFileSync(join(TERRAFORM_DIR, `envs/${e}/backend.tf`), 'utf8'), /use_lockfile\s*=\s*true/);
});

test('envs read every manifest: one service instance per services/*/service.yaml', () => {
  const instances = new Set(dev.instances.map((i) => /^module\.platform\.module\.service\["([^"]+)"\]/.exec(i.address)?.[1]).filter(Boolean));
  assert.deepEqual([...instances].sort(), Object.keys(manifests).sort());
});

test('deployments: every function alias moves all at once in dev and by a 10% canary in prod', async () => {
  const fns = (plan) => plan.modules.filter((m) => m.source === 'terraform/modules/function');
  assert.equal(fns(dev).length, all(dev, 'aws_lambda_function').length);
  for (const m of fns(dev)) assert.equal(m.vars.deployment.strategy, 'all-at-once', m.address);
  for (const m of fns(prod)) assert.deepEqual([m.vars.deployment.strategy, m.vars.deployment.canary_weight], ['canary', 0.1], m.address);
  // with a stable version, the alias keeps it and routes the canary weight to the new version
  const canary = await planEnv(join(TERRAFORM_DIR, 'envs', 'prod'), { extraVars: { stable_function_versions: { 'prod-payments-authorize-payment': '7' } } });
  assert.deepEqual(canary.errors, []);
  const fn = canary.modules.find((m) => m.address.endsWith('module.consumer["authorize-payment"].module.function'));
  assert.equal(fn.vars.deployment.stable_version, '7');
  const alias = at(canary, `${PLATFORM}module.service["payments"].module.consumer["authorize-payment"].module.function.aws_lambda_alias.this`);
  assert.equal(alias.attrs.name, 'live');
  assert.ok(alias.attrs.dynamic.routing_config, 'the alias has a routing_config for the canary');
});

test('one rule and SNS topic per publishing service, matching its source', () => {
  const topics = all(dev, 'aws_sns_topic', `${PLATFORM}module.domain_topic`).map((t) => t.attrs.name).sort();
  assert.deepEqual(topics, want.publishers.map((p) => named('topic', { env: ENV, service: p })).sort());
  for (const p of want.publishers) {
    const rule = at(dev, `${PLATFORM}module.domain_topic["${p}"].aws_cloudwatch_event_rule.this`);
    assert.deepEqual(JSON.parse(rule.attrs.event_pattern), { source: [manifests[p].source] });
    const target = at(dev, `${PLATFORM}module.domain_topic["${p}"].aws_cloudwatch_event_target.this`);
    assert.match(label(target.attrs.dead_letter_config[0].arn), /aws_sqs_queue\.dlq\.arn/);
  }
});

test('every consumer: queue, DLQ, function, mapping, named <env>-<service>-<consumer>[-dlq]', () => {
  for (const { svc, c } of Object.values(want.consumers)) {
    const p = `${svcAddr(svc)}module.consumer["${c.name}"].`;
    const name = named('queue', { env: ENV, service: svc, name: c.name });
    const q = at(dev, `${p}aws_sqs_queue.this`);
    assert.equal(q?.attrs.name, name);
    assert.equal(q.attrs.visibility_timeout_seconds, c.queue.visibility_timeout_seconds);
    const dlq = at(dev, `${p}aws_sqs_queue.dlq`);
    assert.equal(dlq?.attrs.name, `${name}-dlq`);
    assert.equal(dlq.attrs.message_retention_seconds, 1209600);
    const fn = at(dev, `${p}module.function.aws_lambda_function.this`);
    assert.equal(fn?.attrs.function_name, name);
    assert.equal(fn.attrs.handler, `${c.handler}::handleRequest`);
    assert.equal(fn.attrs.memory_size, c.function.memory_mb);
    assert.equal(fn.attrs.timeout, c.function.timeout_seconds);
    assert.equal(fn.attrs.reserved_concurrent_executions, c.function.reserved_concurrency);
    assert.equal(fn.attrs.filename, `${TERRAFORM_DIR}/envs/dev/../../../services/${svc}/target/${svc}-function.zip`);
    const vars = fn.attrs.environment[0].variables;
    for (const [k, v] of Object.entries(c.function.environment ?? {})) assert.equal(vars[k], v);
    // The runtime contract of shared-lib's FunctionEnvironment (names from contract.EnvironmentNames).
    const E = CONTRACT.environment;
    assert.equal(vars[E.service], svc);
    assert.equal(vars[E.function], c.name);
    assert.equal(vars[E.event_source], manifests[svc].source);
    assert.equal(vars[E.powertools_metrics_namespace], CONTRACT.metrics.namespace);
    assert.match(label(vars[E.dlq_url]), /aws_sqs_queue\.dlq\.url/);
    for (const t of manifests[svc].tables ?? []) assert.ok(vars[`${E.table_prefix}${t.name.toUpperCase().replaceAll('-', '_')}`] !== undefined, `${name}: table ${t.name}`);
    const esm = at(dev, `${p}aws_lambda_event_source_mapping.this`);
    assert.equal(esm?.attrs.batch_size, c.batch.size);
    assert.equal(esm.attrs.maximum_batching_window_in_seconds, c.batch.window_seconds ?? 0);
    assert.equal(esm.attrs.dynamic?.scaling_config?.[0]?.maximum_concurrency, c.batch.max_concurrency);
    assert.match(label(esm.attrs.event_source_arn), /aws_sqs_queue\.this\.arn/);
    assert.match(label(esm.attrs.function_name), /module\.function\.alias_arn/);
    assert.deepEqual(esm.attrs.function_response_types, ['ReportBatchItemFailures']);
  }
});

test('every function: the environment every function runtime requires (contract every_function_environment)', () => {
  const fns = all(dev, 'aws_lambda_function');
  assert.ok(fns.length > 0);
  for (const fn of fns) {
    const vars = fn.attrs.environment[0].variables;
    const missing = CONTRACT.every_function_environment.filter((k) => vars[k] === undefined);
    assert.deepEqual(missing, [], `${label(fn.attrs.function_name)} lacks ${missing}`);
  }
});

test('every consumer: one subscription per publishing topic, filter policy = detail-type list merged with filter', () => {
  for (const { svc, c, subscriptions } of Object.values(want.consumers)) {
    const p = `${svcAddr(svc)}module.consumer["${c.name}"].aws_sns_topic_subscription.this`;
    const subs = all(dev, 'aws_sns_topic_subscription', p);
    assert.deepEqual(subs.map((s) => s.key).sort(), Object.keys(subscriptions).sort(), `${svc}/${c.name}`);
    for (const s of subs) {
      assert.deepEqual(JSON.parse(s.attrs.filter_policy), subscriptions[s.key], `${svc}/${c.name} <- ${s.key}`);
      assert.equal(label(s.attrs.topic_arn), `module.domain_topic[${s.key}].topic_arn`);
      assert.equal(s.attrs.raw_message_delivery, true);
      assert.equal(s.attrs.filter_policy_scope, 'MessageBody');
    }
  }
});

test('nothing orphaned: every queue, subscription, function and mapping comes from a manifest entry', () => {
  const consumerKeys = new Set(Object.values(want.consumers).map(({ svc, c }) => `${svc}/${c.name}`));
  for (const i of dev.instances.filter((x) => x.address.includes('.module.consumer['))) {
    const [, svc, name] = /^module\.platform\.module\.service\["([^"]+)"\]\.module\.consumer\["([^"]+)"\]/.exec(i.address);
    assert.ok(consumerKeys.has(`${svc}/${name}`), i.address);
  }
  const expectedSubs = Object.values(want.consumers).reduce((n, x) => n + Object.keys(x.subscriptions).length, 0);
  assert.equal(all(dev, 'aws_sns_topic_subscription').length, expectedSubs);
  const fnCount = Object.values(manifests).reduce((n, m) => n + (m.consumers ?? []).length + (m.http ?? []).length + (m.streams ?? []).length + (m.schedules ?? []).length + (m.buckets ?? []).filter((b) => b.handler).length, 0);
  assert.equal(all(dev, 'aws_lambda_function').length, fnCount);
  assert.equal(all(dev, 'aws_lambda_alias').length, fnCount);
  const esmCount = Object.values(manifests).reduce((n, m) => n + (m.consumers ?? []).length + (m.streams ?? []).length, 0);
  assert.equal(all(dev, 'aws_lambda_event_source_mapping').length, esmCount);
  // every function has exactly one trigger: a mapping, an API route permission, a schedule or an S3 permission
  for (const f of all(dev, 'aws_lambda_function')) {
    const mod = f.address.replace(/module\.function(\[0\])?\.aws_lambda_function\.this$/, '');
    const triggers = dev.instances.filter((i) => i.address.startsWith(mod) && !i.address.startsWith(`${mod}module.function`) && ['aws_lambda_event_source_mapping', 'aws_apigatewayv2_integration', 'aws_scheduler_schedule', 'aws_s3_bucket_notification'].includes(i.type));
    assert.equal(triggers.length, 1, `${f.address} has ${triggers.length} triggers`);
  }
});

test('http routes, stream relays, schedules, buckets and tables are wired as declared', () => {
  for (const [svc, m] of Object.entries(manifests)) {
    for (const h of m.http ?? []) {
      const p = `${svcAddr(svc)}module.http_api["${h.name}"].`;
      assert.deepEqual(all(dev, 'aws_apigatewayv2_route', p).map((r) => r.attrs.route_key).sort(), [...h.routes].sort());
      assert.equal(all(dev, 'aws_lambda_permission', p).length, h.routes.length);
      assert.equal(at(dev, `${p}module.function.aws_lambda_function.this`).attrs.handler, `${h.handler}::handleRequest`);
      assert.ok(at(dev, `${p}aws_apigatewayv2_stage.this`).attrs.access_log_settings[0].destination_arn);
    }
    for (const s of m.streams ?? []) {
      const p = `${svcAddr(svc)}module.stream_relay["${s.name}"].`;
      const esm = at(dev, `${p}aws_lambda_event_source_mapping.this`);
      assert.equal(esm.attrs.batch_size, s.batch.size);
      assert.equal(label(esm.attrs.event_source_arn), `module.table[${s.table}].stream_arn`);
      assert.equal(esm.attrs.bisect_batch_on_function_error, true);
      assert.equal(at(dev, `${p}module.function.aws_lambda_function.this`).attrs.handler, `${s.handler}::handleRequest`);
    }
    for (const j of m.schedules ?? []) {
      const p = `${svcAddr(svc)}module.scheduled_job["${j.name}"].`;
      const sch = at(dev, `${p}aws_scheduler_schedule.this`);
      assert.equal(sch.attrs.schedule_expression, j.expression);
      assert.equal(sch.attrs.schedule_expression_timezone, j.timezone ?? 'UTC');
      assert.equal(at(dev, `${p}module.function.aws_lambda_function.this`).attrs.handler, `${j.handler}::handleRequest`);
    }
    for (const b of m.buckets ?? []) {
      const p = `${svcAddr(svc)}module.bucket["${b.name}"].`;
      assert.match(label(at(dev, `${p}aws_s3_bucket.this`).attrs.bucket), /./);
      const notes = all(dev, 'aws_s3_bucket_notification', p);
      if (!b.handler) { assert.equal(notes.length, 0); continue; }
      const lf = notes[0].attrs.dynamic.lambda_function;
      assert.deepEqual(lf.map((x) => x.filter_suffix).sort(), [...(b.suffixes ?? [null])].sort());
      for (const x of lf) assert.equal(x.filter_prefix, b.prefix ?? null);
    }
    const tables = all(dev, 'aws_dynamodb_table', svcAddr(svc));
    assert.deepEqual(tables.map((t) => t.attrs.name).sort(), [named('idempotency_table', { env: ENV, service: svc }), ...(m.tables ?? []).map((t) => named('table', { env: ENV, service: svc, name: t.name }))].sort());
    const idem = tables.find((t) => t.attrs.name.endsWith('-idempotency'));
    assert.equal(idem.attrs.hash_key, 'id');
    assert.equal(idem.attrs.dynamic.ttl[0].attribute_name, 'expiration');
    for (const t of m.tables ?? []) {
      const tb = tables.find((x) => x.attrs.name === named('table', { env: ENV, service: svc, name: t.name }));
      assert.equal(tb.attrs.hash_key, t.key.partition);
      assert.equal(tb.attrs.stream_view_type, t.stream ?? null);
    }
  }
});

test('services may read exactly the secrets their manifest names, and only those services', () => {
  for (const [svc, m] of Object.entries(manifests)) {
    const functions = dev.modules.filter((mod) => mod.address.startsWith(svcAddr(svc)) && mod.address.endsWith('module.function'));
    assert.ok(functions.length > 0, svc);
    for (const fn of functions) {
      const grants = fn.vars.policy_statements.filter((st) => st.actions.some((a) => a.startsWith('secretsmanager:')));
      if ((m.secrets ?? []).length === 0) {
        assert.deepEqual(grants, [], `${fn.address} names no secret and may read none`);
        continue;
      }
      assert.equal(grants.length, 1, fn.address);
      assert.deepEqual(grants[0].actions, ['secretsmanager:GetSecretValue']);
      const resources = grants[0].resources.map((r) => (isUnknown(r) ? r.text : String(r)));
      assert.equal(resources.length, m.secrets.length);
      m.secrets.forEach((name, i) => assert.equal(resources[i], `arn:\${?}:secretsmanager:\${?}:\${?}:secret:${name}-??????`, fn.address));
    }
  }
});

test('names fit AWS limits (queues 80, functions and roles 64, buckets 63 with the account id)', () => {
  for (const q of all(dev, 'aws_sqs_queue')) assert.ok(q.attrs.name.length <= 80 && q.attrs.name.startsWith(`${ENV}-`), q.attrs.name);
  for (const f of all(prod, 'aws_lambda_function')) assert.ok(f.attrs.function_name.length <= 64, f.attrs.function_name);
  for (const r of all(prod, 'aws_iam_role')) assert.ok(r.attrs.name.length <= 64, r.attrs.name);
  for (const [svc, m] of Object.entries(manifests)) for (const b of m.buckets ?? []) assert.ok(`prod-${svc}-${b.name}-123456789012`.length <= 63);
});

test('alarms cover every consumer DLQ, queue age, function, rule, topic, stream and the stuck-saga metric', () => {
  const alarms = all(dev, 'aws_cloudwatch_metric_alarm').map((a) => a.attrs.alarm_name).filter((n) => typeof n === 'string');
  for (const { svc, c } of Object.values(want.consumers)) {
    const ids = { env: ENV, service: svc, name: c.name };
    for (const kind of ['ConsumerDlqNotEmpty', 'QueueMessageAgeHigh', 'LambdaErrors', 'LambdaThrottles']) {
      assert.ok(alarms.includes(named('alarm', { resource: named(CONTRACT.alarms[kind].alarmed_resource, ids), kind })), `${svc}/${c.name} ${kind}`);
    }
  }
  for (const p of want.publishers) {
    for (const kind of ['RuleFailedInvocations', 'RuleDlqNotEmpty', 'SnsDeliveryFailures']) {
      assert.ok(alarms.includes(named('alarm', { resource: named(CONTRACT.alarms[kind].alarmed_resource, { env: ENV, service: p }), kind })), `${p} ${kind}`);
    }
  }
  for (const [svc, m] of Object.entries(manifests)) {
    for (const s of m.streams ?? []) assert.ok(alarms.includes(named('alarm', { resource: named('function', { env: ENV, service: svc, name: s.name }), kind: 'StreamIteratorAgeHigh' })));
  }
  // The names the watchdog's EMF carries (shared-lib contract.MetricNames, written to terraform/contract.json).
  const saga = CONTRACT.metrics.saga_stuck;
  const sagaStuck = all(dev, 'aws_cloudwatch_metric_alarm').find((a) => a.attrs.metric_name === saga.name);
  assert.equal(sagaStuck.attrs.namespace, CONTRACT.metrics.namespace);
  assert.equal(sagaStuck.attrs.dimensions[saga.dimension], want.publisherOf.SagaStuck);
});

test('resource count of envs/dev', (t) => {
  const byType = {};
  for (const i of dev.instances) byType[i.type] = (byType[i.type] ?? 0) + 1;
  t.diagnostic(`envs/dev: ${dev.instances.length} resources; envs/prod: ${prod.instances.length}`);
  t.diagnostic(JSON.stringify(byType));
  assert.equal(dev.instances.length, prod.instances.length);
  assert.ok(dev.instances.length > 100);
});

test('broken manifests are reported: unknown event type, short visibility timeout, misspelt key, detail-type in filter', async () => {
  const fixture = join(TERRAFORM_DIR, 'test', 'fixtures', 'broken-wiring');
  const broken = await planEnv(join(TERRAFORM_DIR, 'envs', 'dev'), { pathRoot: join(fixture, 'x', 'y', 'z') });
  const problems = [...broken.errors, ...broken.warnings];
  const expect = [
    /module\.service\["alpha"\].*unsupported attribute "NobodyPublishesThis"/,
    /module\.service\["beta"\].*visibility_timeout_seconds must be >= 6 x/,
    /module\.service\["gamma"\].*attribute "visibility_timeout_seconds" is required/,
    /module\.service\["gamma"\].*attribute "visibility_timeout" is not declared/,
    /module\.service\["delta"\].*filter_json must be a JSON object that does not set detail-type/,
  ];
  for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `expected ${re} among:\n${problems.join('\n')}`);
});
