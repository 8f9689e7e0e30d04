// Facts checked on what Terraform itself evaluated and applied through the offline provider
// (target/terraform/envs/<env>/state.json), against expectations derived from the manifests
// alone: resource count per type, subscriptions and their filter policies, each function's
// runtime environment (shared-lib FunctionEnvironment), each alarm's metric, namespace and
// dimensions, and each role's statements. Conftest/Checkov style: the values are Terraform's,
// not a re-implementation of its evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { REPO_DIR } from './hcl.mjs';
import { stateView } from './state-view.mjs';
import { contractFacts, CONTRACT } from './contract-facts.mjs';
import { leastPrivilegeFacts } from './least-privilege-facts.mjs';
import { securityFacts } from './security-facts.mjs';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

/** Every services/<svc>/service.yaml, read the way Terraform's yamldecode reads it (YAML 1.1). */
export function loadManifests(servicesDir = join(REPO_DIR, 'services')) {
  return Object.fromEntries(readdirSync(servicesDir).filter((d) => existsSync(join(servicesDir, d, 'service.yaml'))).sort()
    .map((d) => [d, YAML.parse(readFileSync(join(servicesDir, d, 'service.yaml'), 'utf8'), { version: '1.1' })]));
}

/** What the manifests imply: publishers, and each consumer's subscriptions with their filter policies. */
export function expectedWiring(manifests) {
  const publisherOf = {};
  for (const [name, m] of Object.entries(manifests)) for (const p of m.publishes ?? []) publisherOf[p.type] = name;
  const consumers = [];
  for (const [svc, m] of Object.entries(manifests)) {
    for (const c of m.consumers ?? []) {
      const subs = {};
      for (const t of c.on) (subs[publisherOf[t]] ??= []).push(t);
      consumers.push({ svc, c, subscriptions: Object.fromEntries(Object.entries(subs).map(([p, types]) => [p, { 'detail-type': types, ...(c.filter ?? {}) }])) });
    }
  }
  const publishers = Object.keys(manifests).filter((n) => (manifests[n].publishes ?? []).length > 0);
  return { publisherOf, consumers, publishers };
}

const upperSnake = (s) => s.toUpperCase().replaceAll('-', '_');

/** Registers each fact as a test on the state stateOf() returns (terraform show -json after apply). */
export function registerAppliedFacts(env, stateOf, manifests = loadManifests()) {
  for (const { name, check } of appliedFacts(env, stateOf, manifests)) test(name, (t) => check(t));
}

/**
 * The facts, each a { name, check } that throws an AssertionError when the state breaks it; with
 * those of the contract (contract-facts), least privilege and security threats.
 */
export function appliedFacts(env, stateOf, manifests = loadManifests()) {
  const facts = [];
  const fact = (name, check) => facts.push({ name, check });
  const want = expectedWiring(manifests);
  const sum = (f) => Object.values(manifests).reduce((n, m) => n + f(m), 0);
  const functions = sum((m) => (m.consumers ?? []).length + (m.http ?? []).length + (m.streams ?? []).length + (m.schedules ?? []).length + (m.buckets ?? []).filter((b) => b.handler).length);
  const { managed, ofType, one } = stateView(env, stateOf);
  const consumerPrefix = (svc, name) => `module.platform.module.service["${svc}"].module.consumer["${name}"].`;

  fact(`envs/${env} (applied): resource count per type follows from the manifests`, (t) => {
    const byType = {};
    for (const r of managed()) byType[r.type] = (byType[r.type] ?? 0) + 1;
    t?.diagnostic(`envs/${env}: ${managed().length} resources: ${JSON.stringify(byType)}`);
    const subscriptions = want.consumers.reduce((n, x) => n + Object.keys(x.subscriptions).length, 0);
    const expected = {
      aws_lambda_function: functions,
      aws_lambda_alias: functions,
      aws_lambda_event_source_mapping: sum((m) => (m.consumers ?? []).length + (m.streams ?? []).length),
      aws_sns_topic_subscription: subscriptions,
      aws_cloudwatch_event_rule: want.publishers.length,
      aws_cloudwatch_event_target: want.publishers.length,
      aws_dynamodb_table: sum((m) => 1 + (m.tables ?? []).length),
      aws_apigatewayv2_route: sum((m) => (m.http ?? []).reduce((n, h) => n + h.routes.length, 0)),
      aws_scheduler_schedule: sum((m) => (m.schedules ?? []).length),
      aws_s3_bucket: sum((m) => (m.buckets ?? []).length) + 1, // + the platform's claim-check bucket
      aws_kms_key: 1,
      aws_cloudwatch_event_bus: 1,
    };
    for (const [type, n] of Object.entries(expected)) assert.equal(byType[type] ?? 0, n, `${type} in envs/${env}`);
  });

  fact(`envs/${env} (applied): each consumer queue is subscribed to its domain topics with the merged filter policy, redriving to its DLQ`, () => {
    for (const { svc, c, subscriptions } of want.consumers) {
      const p = consumerPrefix(svc, c.name);
      const queue = one(`${p}aws_sqs_queue.this`);
      const subs = ofType('aws_sns_topic_subscription', `${p}aws_sns_topic_subscription.this`);
      assert.deepEqual(subs.map((s) => s.index).sort(), Object.keys(subscriptions).sort(), `${svc}/${c.name}: one subscription per publishing topic`);
      for (const s of subs) {
        const topic = one(`module.platform.module.domain_topic["${s.index}"].aws_sns_topic.this`);
        assert.equal(s.values.topic_arn, topic.values.arn, `${s.address}: subscribed to ${s.index}'s topic`);
        assert.equal(s.values.endpoint, queue.values.arn, `${s.address}: delivers to ${svc}/${c.name}'s queue`);
        assert.equal(s.values.protocol, 'sqs');
        assert.equal(s.values.raw_message_delivery, true);
        assert.deepEqual(JSON.parse(s.values.filter_policy), subscriptions[s.index], `${s.address}: filter policy`);
        assert.deepEqual(JSON.parse(s.values.redrive_policy), { deadLetterTargetArn: one(`${p}aws_sqs_queue.dlq`).values.arn }, `${s.address}: what SNS gives up on goes to ${svc}/${c.name}'s DLQ`);
      }
    }
  });

  fact(`envs/${env} (applied): each function's environment holds what its runtime requires`, () => {
    const bus = ofType('aws_cloudwatch_event_bus')[0].values.name;
    const tableNames = new Set(ofType('aws_dynamodb_table').map((t) => t.values.name));
    const fns = ofType('aws_lambda_function');
    assert.equal(fns.length, functions);
    for (const fn of fns) {
      const svc = /module\.service\["([^"]+)"\]/.exec(fn.address)[1];
      const vars = fn.values.environment?.[0]?.variables ?? {};
      const where = `${fn.address} (${fn.values.function_name})`;
      assert.equal(vars.FANOUT_ENV, env, where);
      assert.equal(vars.FANOUT_SERVICE, svc, where);
      assert.equal(`${env}-${svc}-${vars.FANOUT_FUNCTION}`, fn.values.function_name, where);
      assert.equal(vars.EVENT_BUS_NAME, bus, where);
      assert.ok(tableNames.has(vars.IDEMPOTENCY_TABLE) && vars.IDEMPOTENCY_TABLE === `${env}-${svc}-idempotency`, `${where}: IDEMPOTENCY_TABLE ${vars.IDEMPOTENCY_TABLE}`);
      for (const t of manifests[svc].tables ?? []) {
        assert.equal(vars[`TABLE_${upperSnake(t.name)}`], `${env}-${svc}-${t.name}`, `${where}: table ${t.name}`);
        assert.ok(tableNames.has(vars[`TABLE_${upperSnake(t.name)}`]), `${where}: table ${t.name} exists`);
      }
    }
    for (const { svc, c } of want.consumers) {
      const p = consumerPrefix(svc, c.name);
      const vars = one(`${p}module.function.aws_lambda_function.this`).values.environment[0].variables;
      assert.equal(vars.DLQ_URL, one(`${p}aws_sqs_queue.dlq`).values.url, `${svc}/${c.name}: DLQ_URL is its own DLQ`);
      for (const [k, v] of Object.entries(c.function.environment ?? {})) assert.equal(vars[k], String(v), `${svc}/${c.name}: ${k} from the manifest`);
      const fn = one(`${p}module.function.aws_lambda_function.this`).values;
      assert.deepEqual([fn.handler, fn.memory_size, fn.timeout, fn.reserved_concurrent_executions],
        [`${c.handler}::handleRequest`, c.function.memory_mb, c.function.timeout_seconds, c.function.reserved_concurrency], `${svc}/${c.name}: function as declared`);
      const queue = one(`${p}aws_sqs_queue.this`).values;
      assert.equal(queue.name, `${env}-${svc}-${c.name}`);
      assert.equal(queue.visibility_timeout_seconds, c.queue.visibility_timeout_seconds, `${svc}/${c.name}: visibility timeout`);
      const dlq = one(`${p}aws_sqs_queue.dlq`).values;
      assert.equal(dlq.message_retention_seconds, CONTRACT.queue_retention.dlq_seconds, `${svc}/${c.name}: the DLQ keeps what the contract says (14 days)`);
      assert.equal(queue.message_retention_seconds, c.queue.message_retention_seconds ?? CONTRACT.queue_retention.queue_seconds, `${svc}/${c.name}: queue retention`);
      assert.deepEqual([vars[CONTRACT.environment.queue_retention_seconds], vars[CONTRACT.environment.dlq_retention_seconds]],
        [String(queue.message_retention_seconds), String(dlq.message_retention_seconds)], `${svc}/${c.name}: the function is told the retentions of its queues`);
      const esm = one(`${p}aws_lambda_event_source_mapping.this`);
      assert.deepEqual(esm.values.function_response_types, ['ReportBatchItemFailures'], `${svc}/${c.name}: partial batch responses`);
      assert.equal(esm.values.event_source_arn, queue.arn);
      assert.equal(esm.values.function_name, one(`${p}module.function.aws_lambda_alias.this`).values.arn, `${svc}/${c.name}: the mapping invokes the alias`);
      assert.equal(esm.values.batch_size, c.batch.size);
      assert.equal(esm.values.maximum_batching_window_in_seconds, c.batch.window_seconds ?? 0);
      assert.equal(esm.values.scaling_config?.[0]?.maximum_concurrency, c.batch.max_concurrency);
    }
  });

  fact(`envs/${env} (applied): each alarm watches a metric of a resource that exists, and pages the alarm topic`, () => {
    const names = (type, attr) => new Set(ofType(type).map((r) => r.values[attr]));
    const queues = names('aws_sqs_queue', 'name');
    const fns = names('aws_lambda_function', 'function_name');
    const topics = names('aws_sns_topic', 'name');
    const rules = names('aws_cloudwatch_event_rule', 'name');
    const apis = names('aws_apigatewayv2_api', 'id');
    const scheduleGroups = names('aws_scheduler_schedule_group', 'name');
    const alarmTopic = one('module.platform.module.observability.aws_sns_topic.this').values.arn;
    const kinds = {
      QueueName: { namespace: 'AWS/SQS', metrics: ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage'], exists: (v) => queues.has(v) },
      FunctionName: { namespace: 'AWS/Lambda', metrics: ['Errors', 'Throttles', 'IteratorAge', 'DestinationDeliveryFailures'], exists: (v) => fns.has(v) },
      TopicName: { namespace: 'AWS/SNS', metrics: ['NumberOfNotificationsFailed', 'NumberOfNotificationsFailedToRedriveToDlq'], exists: (v) => topics.has(v) },
      RuleName: { namespace: 'AWS/Events', metrics: ['FailedInvocations', 'InvocationsFailedToBeSentToDlq'], exists: (v) => rules.has(v) },
      ApiId: { namespace: 'AWS/ApiGateway', metrics: ['5xx'], exists: (v) => apis.has(v) },
      ScheduleGroup: { namespace: 'AWS/Scheduler', metrics: ['InvocationsFailedToBeSentToDeadLetterCount'], exists: (v) => scheduleGroups.has(v) },
      Service: { namespace: 'Fanout', metrics: ['SagaStuck'], exists: (v) => v in manifests },
    };
    const alarms = ofType('aws_cloudwatch_metric_alarm');
    for (const a of alarms) {
      const v = a.values;
      const dims = v.dimensions ?? {};
      const kind = Object.keys(kinds).find((k) => k in dims);
      assert.ok(kind, `${a.address}: dimensions ${JSON.stringify(dims)} name no known resource`);
      assert.equal(v.namespace, kinds[kind].namespace, `${a.address}: namespace`);
      assert.ok(kinds[kind].metrics.includes(v.metric_name), `${a.address}: metric ${v.metric_name}`);
      assert.ok(kinds[kind].exists(dims[kind]), `${a.address}: ${kind} ${dims[kind]} is not a resource of envs/${env}`);
      if (dims.EventBusName) assert.equal(dims.EventBusName, ofType('aws_cloudwatch_event_bus')[0].values.name, a.address);
      assert.ok(v.alarm_actions.includes(alarmTopic), `${a.address}: does not notify the alarm topic`);
      assert.match(v.alarm_description ?? '', /runbooks\/[A-Za-z]+\.md/, `${a.address}: no runbook link`);
    }
    const watched = (dim, metric) => new Set(alarms.filter((a) => a.values.metric_name === metric).map((a) => a.values.dimensions[dim]));
    for (const q of queues) if (q.endsWith('-dlq')) assert.ok(watched('QueueName', 'ApproximateNumberOfMessagesVisible').has(q), `DLQ ${q} has no alarm`);
    for (const f of fns) for (const m of ['Errors', 'Throttles']) assert.ok(watched('FunctionName', m).has(f), `function ${f} has no ${m} alarm`);
    for (const { svc, c } of want.consumers) assert.ok(watched('QueueName', 'ApproximateAgeOfOldestMessage').has(`${env}-${svc}-${c.name}`), `${svc}/${c.name}: no message age alarm`);
    for (const p of want.publishers) {
      assert.ok(watched('RuleName', 'FailedInvocations').has(`${env}-${p}-to-topic`), `${p}: no rule FailedInvocations alarm`);
      assert.ok(watched('RuleName', 'InvocationsFailedToBeSentToDlq').has(`${env}-${p}-to-topic`), `${p}: no alarm on events the rule could not park in its DLQ`);
      assert.ok(watched('TopicName', 'NumberOfNotificationsFailed').has(`${env}-${p}-events`), `${p}: no SNS delivery failure alarm`);
      assert.ok(watched('TopicName', 'NumberOfNotificationsFailedToRedriveToDlq').has(`${env}-${p}-events`), `${p}: no alarm on deliveries SNS could not move to a DLQ`);
    }
    for (const [svc, m] of Object.entries(manifests)) for (const st of m.streams ?? []) assert.ok(watched('FunctionName', 'IteratorAge').has(`${env}-${svc}-${st.name}`), `${svc}/${st.name}: no iterator age alarm`);
    // Every trigger with an on-failure destination: what Lambda cannot write there is lost (ADR 0117).
    assert.deepEqual([...watched('FunctionName', 'DestinationDeliveryFailures')].sort(), Object.entries(manifests)
      .flatMap(([svc, m]) => [...(m.streams ?? []), ...(m.schedules ?? []), ...(m.buckets ?? []).filter((b) => b.handler)].map((t) => `${env}-${svc}-${t.name}`)).sort(),
    'DestinationDeliveryFailures alarms: exactly the functions with an on-failure destination');
    // Every schedule has a group of its own, so the scheduler's metric of runs it could not park is the job's (ADR 0118).
    assert.deepEqual([...watched('ScheduleGroup', 'InvocationsFailedToBeSentToDeadLetterCount')].sort(), Object.entries(manifests)
      .flatMap(([svc, m]) => (m.schedules ?? []).map((j) => `${env}-${svc}-${j.name}`)).sort(),
    'ScheduleDlqSendFailures alarms: exactly the schedule groups, one per scheduled job');
    assert.deepEqual([...watched('Service', 'SagaStuck')], [want.publisherOf.SagaStuck], 'the stuck-saga alarm watches the service that publishes SagaStuck');
  });

  fact(`envs/${env} (applied): every queue, topic, table, log group, bus, archive, bucket, function and schedule is encrypted with the platform key; every mapping reports partial batch failures`, () => {
    const key = ofType('aws_kms_key')[0].values.arn;
    const encryptedBy = {
      aws_sqs_queue: (v) => v.kms_master_key_id,
      aws_sns_topic: (v) => v.kms_master_key_id,
      aws_dynamodb_table: (v) => v.server_side_encryption?.[0]?.enabled && v.server_side_encryption[0].kms_key_arn,
      aws_cloudwatch_log_group: (v) => v.kms_key_id,
      aws_cloudwatch_event_bus: (v) => v.kms_key_identifier,
      aws_cloudwatch_event_archive: (v) => v.kms_key_identifier,
      aws_s3_bucket_server_side_encryption_configuration: (v) => v.rule?.[0]?.apply_server_side_encryption_by_default?.[0]?.sse_algorithm === 'aws:kms' && v.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id,
      aws_lambda_function: (v) => v.kms_key_arn,
      aws_scheduler_schedule: (v) => v.kms_key_arn,
    };
    for (const [type, keyOf] of Object.entries(encryptedBy)) {
      for (const r of ofType(type)) assert.equal(keyOf(r.values), key, `${r.address} is not encrypted with the platform key`);
    }
    assert.equal(ofType('aws_s3_bucket_server_side_encryption_configuration').length, ofType('aws_s3_bucket').length, 'every bucket has its encryption configuration');
    for (const m of ofType('aws_lambda_event_source_mapping')) assert.deepEqual(m.values.function_response_types, ['ReportBatchItemFailures'], m.address);
  });

  fact(`envs/${env} (applied): each role's statements name resources that exist; a consumer reads its own queue and writes its own DLQ`, () => {
    const arns = new Set(managed().flatMap((r) => [r.values.arn, r.values.stream_arn, r.values.dashboard_arn]).filter(Boolean));
    // an ARN of the state, or a path or sub-resource under one (objects of a bucket, a log group's streams)
    const exists = (resource) => arns.has(resource) || [...arns].some((a) => resource.startsWith(`${a}/`) || resource.startsWith(`${a}:`))
      || /^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-\?{6}$/.test(resource)
      || declared.some((re) => re.test(resource));
    // what a manifest grants outside Terraform (function.access.permissions: an SES identity, an SSM parameter)
    const declared = Object.values(manifests).flatMap((m) => [...(m.consumers ?? []), ...(m.http ?? []), ...(m.streams ?? []), ...(m.schedules ?? []), ...(m.buckets ?? [])])
      .flatMap((f) => f.function?.access?.permissions ?? []).flatMap((perm) => perm.resources)
      .map((r) => new RegExp(`^${r.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{partition}', 'aws').replace('{region}', '[a-z0-9-]+').replace('{account}', '\\d{12}').replace('{env}', env)}$`));
    const policies = ofType('aws_iam_role_policy');
    assert.ok(policies.length >= functions);
    for (const p of policies) {
      const doc = JSON.parse(p.values.policy);
      for (const s of doc.Statement) {
        const resources = [].concat(s.Resource ?? []);
        const actions = [].concat(s.Action ?? []);
        for (const r of resources) {
          if (r === '*') assert.ok(actions.every((a) => a.startsWith('xray:') || a === 'cloudwatch:PutMetricData'), `${p.address}: ${s.Sid} grants ${actions} on *`);
          else assert.ok(exists(r), `${p.address}: ${s.Sid} names ${r}, which is not a resource of envs/${env}`);
        }
        assert.ok(!actions.some((a) => a === '*' || a.endsWith(':*')), `${p.address}: ${s.Sid} grants ${actions}`);
      }
    }
    const allows = (doc, action, resource) => doc.Statement.some((s) => s.Effect === 'Allow' && [].concat(s.Action).includes(action) && [].concat(s.Resource).includes(resource));
    for (const { svc, c } of want.consumers) {
      const p = consumerPrefix(svc, c.name);
      const doc = JSON.parse(one(`${p}module.function.aws_iam_role_policy.this`).values.policy);
      const queue = one(`${p}aws_sqs_queue.this`).values.arn;
      for (const a of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) assert.ok(allows(doc, a, queue), `${svc}/${c.name}: ${a} on its queue`);
      assert.ok(allows(doc, 'sqs:SendMessage', one(`${p}aws_sqs_queue.dlq`).values.arn), `${svc}/${c.name}: sqs:SendMessage on its DLQ`);
      const trust = JSON.parse(one(`${p}module.function.aws_iam_role.this`).values.assume_role_policy);
      assert.deepEqual(trust.Statement.map((s) => s.Principal), [{ Service: 'lambda.amazonaws.com' }], `${svc}/${c.name}: only Lambda assumes the role`);
    }
  });

  fact(`envs/${env} (applied): one service per manifest; one rule, topic and rule DLQ per publishing service, matching its source`, () => {
    const services = new Set(managed().map((r) => /^module\.platform\.module\.service\["([^"]+)"\]/.exec(r.address)?.[1]).filter(Boolean));
    assert.deepEqual([...services].sort(), Object.keys(manifests).sort());
    const topics = ofType('aws_sns_topic', 'module.platform.module.domain_topic').map((t) => t.values.name).sort();
    assert.deepEqual(topics, want.publishers.map((p) => `${env}-${p}-events`).sort());
    for (const p of want.publishers) {
      const prefix = `module.platform.module.domain_topic["${p}"].`;
      const rule = one(`${prefix}aws_cloudwatch_event_rule.this`);
      assert.deepEqual(JSON.parse(rule.values.event_pattern), { source: [manifests[p].source] }, `${p}: rule pattern`);
      const target = one(`${prefix}aws_cloudwatch_event_target.this`).values;
      assert.equal(target.arn, one(`${prefix}aws_sns_topic.this`).values.arn, `${p}: the rule targets its topic`);
      assert.equal(target.dead_letter_config[0].arn, one(`${prefix}aws_sqs_queue.dlq`).values.arn, `${p}: the rule's DLQ`);
    }
  });

  fact(`envs/${env} (applied): every function has exactly one trigger; routes, stream relays, schedules, buckets and tables as declared`, () => {
    for (const f of ofType('aws_lambda_function')) {
      const mod = f.address.replace(/module\.function(\[0\])?\.aws_lambda_function\.this$/, '');
      const triggers = managed().filter((r) => r.address.startsWith(mod) && !r.address.startsWith(`${mod}module.function`)
        && ['aws_lambda_event_source_mapping', 'aws_apigatewayv2_integration', 'aws_scheduler_schedule', 'aws_s3_bucket_notification'].includes(r.type));
      assert.equal(triggers.length, 1, `${f.address} has ${triggers.length} triggers`);
    }
    const handlerOf = (prefix) => one(`${prefix}module.function.aws_lambda_function.this`).values.handler;
    for (const [svc, m] of Object.entries(manifests)) {
      const s = `module.platform.module.service["${svc}"].`;
      for (const h of m.http ?? []) {
        const p = `${s}module.http_api["${h.name}"].`;
        assert.deepEqual(ofType('aws_apigatewayv2_route', p).map((r) => r.values.route_key).sort(), [...h.routes].sort());
        assert.equal(ofType('aws_lambda_permission', p).length, h.routes.length);
        assert.equal(handlerOf(p), `${h.handler}::handleRequest`);
        assert.ok(one(`${p}aws_apigatewayv2_stage.this`).values.access_log_settings[0].destination_arn);
      }
      for (const st of m.streams ?? []) {
        const p = `${s}module.stream_relay["${st.name}"].`;
        const esm = one(`${p}aws_lambda_event_source_mapping.this`).values;
        assert.equal(esm.batch_size, st.batch.size);
        assert.equal(esm.event_source_arn, one(`${s}module.table["${st.table}"].aws_dynamodb_table.this`).values.stream_arn, `${svc}/${st.name}: reads its table's stream`);
        assert.equal(esm.bisect_batch_on_function_error, true);
        assert.equal(handlerOf(p), `${st.handler}::handleRequest`);
      }
      for (const j of m.schedules ?? []) {
        const p = `${s}module.scheduled_job["${j.name}"].`;
        const sch = one(`${p}aws_scheduler_schedule.this`).values;
        assert.equal(sch.schedule_expression, j.expression);
        assert.equal(sch.schedule_expression_timezone, j.timezone ?? 'UTC');
        assert.equal(sch.target[0].arn, one(`${p}module.function.aws_lambda_alias.this`).values.arn, `${svc}/${j.name}: the schedule invokes the alias`);
        const group = one(`${p}aws_scheduler_schedule_group.this`).values.name;
        assert.equal(group, `${env}-${svc}-${j.name}`, `${svc}/${j.name}: a schedule group of its own, named as the contract's schedule_group`);
        assert.equal(sch.group_name, group, `${svc}/${j.name}: the schedule is in its own group`);
        assert.match(sch.arn, new RegExp(`^arn:aws:scheduler:[a-z0-9-]+:\\d{12}:schedule/${group}/${env}-${svc}-${j.name}$`), `${svc}/${j.name}: the schedule's ARN names its group`);
        // The role's trust is bound to the schedule's ARN: one that names another group could never be assumed.
        const trust = JSON.parse(one(`${p}aws_iam_role.scheduler`).values.assume_role_policy);
        assert.deepEqual(trust.Statement.flatMap((st) => Object.values(st.Condition?.ArnEquals ?? {}).flat()), [sch.arn],
          `${svc}/${j.name}: the scheduler role may be assumed for exactly this schedule's ARN`);
        // The text the local scheduler fills in too; kept out of jsonencode, which escapes the context attributes' angle brackets.
        assert.equal(sch.target[0].input, CONTRACT.schedule_input, `${svc}/${j.name}: the schedule sends the contract's Scheduled Event`);
        for (const attribute of ['<aws.scheduler.execution-id>', '<aws.scheduler.scheduled-time>', '<aws.scheduler.schedule-arn>']) {
          assert.ok(sch.target[0].input.includes(attribute), `${svc}/${j.name}: the input keeps ${attribute} for the scheduler to fill in`);
        }
        assert.equal(handlerOf(p), `${j.handler}::handleRequest`);
      }
      for (const b of m.buckets ?? []) {
        const p = `${s}module.bucket["${b.name}"].`;
        assert.equal(one(`${p}aws_s3_bucket.this`).values.bucket, `${env}-${svc}-${b.name}-${ofType('aws_sqs_queue')[0].values.arn.split(':')[4]}`);
        const notes = ofType('aws_s3_bucket_notification', p);
        if (!b.handler) { assert.equal(notes.length, 0); continue; }
        const lf = notes[0].values.lambda_function;
        assert.deepEqual(lf.map((x) => x.filter_suffix).sort(), [...(b.suffixes ?? [null])].sort());
        for (const x of lf) assert.equal(x.filter_prefix, b.prefix ?? null);
      }
      const tables = ofType('aws_dynamodb_table', s);
      assert.deepEqual(tables.map((t) => t.values.name).sort(), [`${env}-${svc}-idempotency`, ...(m.tables ?? []).map((t) => `${env}-${svc}-${t.name}`)].sort());
      const idem = tables.find((t) => t.values.name.endsWith('-idempotency')).values;
      assert.equal(idem.hash_key, 'id');
      assert.equal(idem.ttl[0].attribute_name, 'expiration');
      for (const t of m.tables ?? []) {
        const tb = tables.find((x) => x.values.name === `${env}-${svc}-${t.name}`).values;
        assert.equal(tb.hash_key, t.key.partition);
        assert.equal(tb.stream_view_type, t.stream ?? null);
      }
    }
  });

  fact(`envs/${env} (applied): functions may read exactly the secrets their manifest names; names fit AWS limits`, () => {
    for (const p of ofType('aws_iam_role_policy')) {
      const svc = /module\.service\["([^"]+)"\]/.exec(p.address)?.[1];
      const granted = JSON.parse(p.values.policy).Statement.filter((st) => [].concat(st.Action).some((a) => a.startsWith('secretsmanager:')));
      const names = svc ? manifests[svc].secrets ?? [] : [];
      if (names.length === 0) { assert.deepEqual(granted, [], `${p.address} names no secret and may read none`); continue; }
      assert.equal(granted.length, 1, p.address);
      assert.deepEqual([].concat(granted[0].Action), ['secretsmanager:GetSecretValue']);
      assert.deepEqual([].concat(granted[0].Resource).map((r) => r.replace(/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:/, '')).sort(), names.map((n) => `${n}-??????`).sort(), p.address);
    }
    for (const q of ofType('aws_sqs_queue')) assert.ok(q.values.name.length <= 80 && q.values.name.startsWith(`${env}-`), q.values.name);
    for (const f of ofType('aws_lambda_function')) assert.ok(f.values.function_name.length <= 64, f.values.function_name);
    for (const r of ofType('aws_iam_role')) assert.ok(r.values.name.length <= 64, r.values.name);
    for (const b of ofType('aws_s3_bucket')) assert.ok(b.values.bucket.length <= 63, b.values.bucket);
  });
  return [...facts, ...contractFacts(env, stateOf, manifests), ...leastPrivilegeFacts(env, stateOf, manifests), ...securityFacts(env, stateOf, manifests)];
}
