// The names Terraform shares with the Java code come from terraform/contract.json (generated from
// shared-lib's contract package, checked current by a Java test): the modules read it with
// jsondecode, and these facts read it too, on what Terraform applied, so a rename on one side
// alone fails here or there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TERRAFORM_DIR } from './hcl.mjs';
import { stateView, functionsOf } from './state-view.mjs';

export const CONTRACT = JSON.parse(readFileSync(join(TERRAFORM_DIR, 'contract.json'), 'utf8'));
/** A name of the contract's `names` patterns, e.g. named('dlq', { env, service, name }). */
export const named = (pattern, vars) => CONTRACT.names[pattern].replace(/\{([a-z]+)\}/g, (_, k) => vars[k]);

/** The facts, each a { name, check } that throws an AssertionError when the state breaks it. */
export function contractFacts(env, stateOf, manifests) {
  const E = CONTRACT.environment;
  const { ofType, one } = stateView(env, stateOf);
  const facts = [];
  const fact = (name, check) => facts.push({ name, check });

  fact(`envs/${env} (applied, contract): every function gets the environment every function runtime requires (every_function_environment)`, () => {
    const fns = ofType('aws_lambda_function');
    assert.ok(fns.length > 0);
    for (const fn of fns) {
      const vars = fn.values.environment?.[0]?.variables ?? {};
      const missing = CONTRACT.every_function_environment.filter((k) => vars[k] === undefined);
      assert.deepEqual(missing, [], `${fn.values.function_name} lacks ${missing}`);
      assert.equal(vars[E.powertools_metrics_namespace], CONTRACT.metrics.namespace, fn.values.function_name);
    }
  });

  fact(`envs/${env} (applied, contract): every consumer function has its service, name, source, tables and own DLQ under the contract names`, () => {
    for (const [svc, m] of Object.entries(manifests)) {
      for (const { name, prefix } of functionsOf(svc, m).filter((f) => f.consumer)) {
        const fn = one(`${prefix}module.function.aws_lambda_function.this`).values;
        assert.equal(fn.function_name, named('function', { env, service: svc, name }));
        const vars = fn.environment[0].variables;
        assert.equal(vars[E.service], svc);
        assert.equal(vars[E.function], name);
        assert.equal(vars[E.event_source], m.source);
        const dlq = one(`${prefix}aws_sqs_queue.dlq`).values;
        assert.equal(dlq.name, named('dlq', { env, service: svc, name }));
        assert.equal(vars[E.dlq_url], dlq.url, `${fn.function_name}: ${E.dlq_url} is its own DLQ`);
        for (const t of m.tables ?? []) {
          assert.equal(vars[`${E.table_prefix}${t.name.toUpperCase().replaceAll('-', '_')}`], named('table', { env, service: svc, name: t.name }), `${fn.function_name}: table ${t.name}`);
        }
      }
    }
  });

  fact(`envs/${env} (applied, contract): every alarm kind of the contract is applied with its settings, named <resource>-<kind>`, () => {
    const alarms = ofType('aws_cloudwatch_metric_alarm');
    for (const [kind, a] of Object.entries(CONTRACT.alarms)) {
      const applied = alarms.filter((x) => x.values.alarm_name.endsWith(`-${kind}`));
      assert.ok(applied.length > 0, `no ${kind} alarm in envs/${env}`);
      for (const { address, values: v } of applied) {
        assert.deepEqual(
          [v.namespace, v.metric_name, Object.keys(v.dimensions).sort(), v.statistic, v.period, v.evaluation_periods, v.threshold, v.comparison_operator, v.treat_missing_data],
          [a.namespace, a.metric, [...a.dimensions].sort(), a.statistic, a.period, a.evaluation_periods, a.threshold, a.comparison, a.treat_missing_data],
          address,
        );
      }
    }
  });

  fact(`envs/${env} (applied, contract): the stuck-saga alarm watches the metric, namespace and dimension the watchdog emits`, () => {
    const saga = CONTRACT.metrics.saga_stuck;
    const publisher = Object.keys(manifests).find((s) => (manifests[s].publishes ?? []).some((p) => p.type === 'SagaStuck'));
    const alarms = ofType('aws_cloudwatch_metric_alarm').filter((a) => a.values.metric_name === saga.name);
    assert.equal(alarms.length, 1, `one ${saga.name} alarm in envs/${env}`);
    const alarm = alarms[0].values;
    assert.equal(alarm.alarm_name, named('alarm', { resource: named('service', { env, service: publisher }), kind: 'SagaStuck' }));
    assert.equal(alarm.namespace, CONTRACT.metrics.namespace);
    assert.deepEqual(alarm.dimensions, { [saga.dimension]: publisher });
  });
  return facts;
}
