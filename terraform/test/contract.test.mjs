// The names Terraform shares with the Java code come from terraform/contract.json (generated from
// shared-lib's contract package, checked current by a Java test): the modules read it with
// jsondecode, and these checks read it too, so a rename on one side alone fails here or there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TERRAFORM_DIR, REPO_DIR } from './lib/hcl.mjs';
import { planEnv } from './lib/plan.mjs';
import { isUnknown } from './lib/hcl-eval.mjs';
import { loadManifests } from './lib/applied-facts.mjs';

const CONTRACT = JSON.parse(readFileSync(join(TERRAFORM_DIR, 'contract.json'), 'utf8'));
const E = CONTRACT.environment;
const named = (pattern, vars) => CONTRACT.names[pattern].replace(/\{([a-z]+)\}/g, (_, k) => vars[k]);
const label = (v) => (isUnknown(v) ? v.label : String(v));
const ENV = 'dev';
const manifests = loadManifests(join(REPO_DIR, 'services'));
const dev = await planEnv(join(TERRAFORM_DIR, 'envs', ENV));
const all = (type) => dev.instances.filter((i) => i.type === type);

test('every function gets the environment every function runtime requires (contract every_function_environment)', () => {
  const fns = all('aws_lambda_function');
  assert.ok(fns.length > 0);
  for (const fn of fns) {
    const vars = fn.attrs.environment[0].variables;
    const missing = CONTRACT.every_function_environment.filter((k) => vars[k] === undefined);
    assert.deepEqual(missing, [], `${label(fn.attrs.function_name)} lacks ${missing}`);
    assert.equal(vars[E.powertools_metrics_namespace], CONTRACT.metrics.namespace, label(fn.attrs.function_name));
  }
});

test('every consumer function: its service, name, source, tables and DLQ under the contract names', () => {
  for (const [svc, m] of Object.entries(manifests)) {
    for (const c of m.consumers ?? []) {
      const name = named('function', { env: ENV, service: svc, name: c.name });
      const fn = all('aws_lambda_function').find((f) => f.attrs.function_name === name);
      assert.ok(fn, `no function ${name}`);
      const vars = fn.attrs.environment[0].variables;
      assert.equal(vars[E.service], svc);
      assert.equal(vars[E.function], c.name);
      assert.equal(vars[E.event_source], m.source);
      assert.match(label(vars[E.dlq_url]), /aws_sqs_queue\.dlq\.url/);
      for (const t of m.tables ?? []) assert.ok(vars[`${E.table_prefix}${t.name.toUpperCase().replaceAll('-', '_')}`] !== undefined, `${name}: table ${t.name}`);
    }
  }
});

test('every alarm kind of the contract is planned with its settings, named <resource>-<kind>', () => {
  const alarms = all('aws_cloudwatch_metric_alarm');
  for (const [kind, a] of Object.entries(CONTRACT.alarms)) {
    const planned = alarms.filter((x) => String(x.attrs.alarm_name).endsWith(`-${kind}`));
    assert.ok(planned.length > 0, `no ${kind} alarm planned`);
    for (const p of planned) {
      assert.equal(p.attrs.namespace, a.namespace, p.address);
      assert.equal(p.attrs.metric_name, a.metric, p.address);
      assert.deepEqual(Object.keys(p.attrs.dimensions).sort(), [...a.dimensions].sort(), p.address);
      assert.equal(p.attrs.statistic, a.statistic, p.address);
      assert.equal(p.attrs.period, a.period, p.address);
      assert.equal(p.attrs.evaluation_periods, a.evaluation_periods, p.address);
      assert.equal(p.attrs.threshold, a.threshold, p.address);
      assert.equal(p.attrs.comparison_operator, a.comparison, p.address);
      assert.equal(p.attrs.treat_missing_data, a.treat_missing_data, p.address);
    }
  }
});

test('the stuck-saga alarm watches the metric, namespace and dimension the watchdog emits', () => {
  const saga = CONTRACT.metrics.saga_stuck;
  const publisher = Object.keys(manifests).find((s) => (manifests[s].publishes ?? []).some((p) => p.type === 'SagaStuck'));
  const alarm = all('aws_cloudwatch_metric_alarm').find((a) => a.attrs.metric_name === saga.name);
  assert.equal(alarm.attrs.alarm_name, named('alarm', { resource: named('service', { env: ENV, service: publisher }), kind: 'SagaStuck' }));
  assert.equal(alarm.attrs.namespace, CONTRACT.metrics.namespace);
  assert.deepEqual(alarm.attrs.dimensions, { [saga.dimension]: publisher });
});
