// Security and reliability policies on what Terraform evaluated, the way Checkov and conftest run on
// `terraform show -json`: each policy reads the resources of a state (values Terraform computed,
// applied through the offline provider, so references are resolved to ARNs, URLs and names) and
// returns its violations. terraform.test.mjs runs them on both environments (no violation
// allowed); policies.test.mjs on the plannable fixture of each (fixtures/broken-<id>/, which it
// must report). The facts that exist only in the source stay in policies.mjs.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const RUNBOOK_SECTIONS = ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation', '## Escalation'];
const CONTRACT = JSON.parse(readFileSync(new URL('../../contract.json', import.meta.url), 'utf8'));
// The DLQ retention the Java side assumes (shared-lib contract QueueRetention).
const DLQ_RETENTION_SECONDS = CONTRACT.queue_retention.dlq_seconds;
const TRACER = CONTRACT.environment.tracer;
// Actions that have no resource-level permissions: "*" is the only valid resource.
const STAR_RESOURCE_ACTIONS = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets']);
// AWS managed keys: encrypted, but not with a key this configuration controls.
const AWS_MANAGED_KEY = /^alias\/aws\//;

const list = (v) => (v === undefined || v === null ? [] : [].concat(v));
const set = (v) => v !== undefined && v !== null && v !== '';
const first = (v) => list(v)[0];

/** The statements of a policy JSON with their actions, resources, service principals and condition keys. */
function statementsOf(json) {
  if (!set(json)) return [];
  return list(JSON.parse(json).Statement).map((s) => ({
    sid: s.Sid ?? '',
    effect: s.Effect,
    actions: list(s.Action),
    resources: list(s.Resource),
    awsPrincipals: s.Principal === '*' ? ['*'] : list(s.Principal?.AWS),
    servicePrincipals: list(s.Principal?.Service),
    conditions: Object.entries(s.Condition ?? {}).flatMap(([test, byKey]) => Object.entries(byKey).map(([key, values]) => ({ test, key, values: list(values).map(String) }))),
  }));
}
const hasCondition = (s, key, tests) => s.conditions.some((c) => c.key === key && (!tests || tests.includes(c.test)));
const isTlsDeny = (s) => s.effect === 'Deny' && s.conditions.some((c) => c.test === 'Bool' && c.key === 'aws:SecureTransport' && c.values.includes('false'));

/** What every policy reads: the managed resources, by type, and the policy documents they carry. */
function view(resources) {
  const managed = resources.filter((r) => r.mode === 'managed');
  const of = (type) => managed.filter((r) => r.type === type);
  const documents = (kinds) => managed.flatMap((r) => kinds.filter(([type]) => type === r.type).map(([, attr]) => ({ r, attr, statements: statementsOf(r.values[attr]) })));
  return { managed, of, documents };
}
const IDENTITY_POLICIES = [['aws_iam_role_policy', 'policy'], ['aws_iam_policy', 'policy']];
const RESOURCE_POLICIES = [['aws_sqs_queue_policy', 'policy'], ['aws_sns_topic_policy', 'policy'], ['aws_s3_bucket_policy', 'policy']];
const KEY_POLICIES = [['aws_kms_key', 'policy']];
const TRUST_POLICIES = [['aws_iam_role', 'assume_role_policy']];
const ALL_POLICIES = [...IDENTITY_POLICIES, ...RESOURCE_POLICIES, ...KEY_POLICIES, ...TRUST_POLICIES];

/** Each resource of `type` lacking what `ok(values)` requires, reported with `what`. */
const every = (type, ok, what) => (v) => v.of(type).filter((r) => !ok(r.values)).map((r) => `${r.address} ${what}`);
const customerKey = (key) => set(key) && !AWS_MANAGED_KEY.test(key);

/** Each resource of `type` must be named by a policy resource (`policyType`, `linked`) denying non-TLS requests on it. */
function tlsOnly(v, type, policyType, linked, arn = (r) => r.values.arn) {
  return v.of(type).filter((r) => !v.of(policyType).some((p) => linked(p.values, r.values)
    && statementsOf(p.values.policy).some((s) => isTlsDeny(s) && s.resources.includes(arn(r)))))
    .map((r) => `${r.address} has no ${policyType} denying aws:SecureTransport = false`);
}

/** The function an invocation target names: a function or alias ARN, or a function name. */
function functionOf(v, target) {
  const alias = v.of('aws_lambda_alias').find((a) => a.values.arn === target);
  const name = alias ? alias.values.function_name : target;
  return v.of('aws_lambda_function').find((f) => [f.values.function_name, f.values.arn, f.values.qualified_arn].includes(name));
}
const isAlias = (v, target) => v.of('aws_lambda_alias').some((a) => a.values.arn === target);

function runbookViolations(repoDir, alarm) {
  const { alarm_description: desc = '', alarm_name: name } = alarm.values;
  const m = /runbooks\/([A-Za-z0-9]+)\.md/.exec(desc ?? '');
  if (!m) return [`${alarm.address} alarm_description has no runbooks/<AlarmKind>.md link`];
  const file = join(repoDir, 'runbooks', `${m[1]}.md`);
  if (!existsSync(file)) return [`${alarm.address} links runbooks/${m[1]}.md, which does not exist`];
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = RUNBOOK_SECTIONS.filter((s) => !lines.includes(s)).map((s) => `runbooks/${m[1]}.md lacks the section "${s}"`);
  if (!String(name).endsWith(`-${m[1]}`)) out.push(`${alarm.address} alarm_name ${name} must end with -${m[1]} (the stable alarm kind)`);
  return out;
}

/** Alarms of `metric` in `namespace` whose dimension `dimension` is `value`. */
const alarmsOn = (v, namespace, metric, dimension, value) => v.of('aws_cloudwatch_metric_alarm')
  .filter((a) => a.values.namespace === namespace && a.values.metric_name === metric && a.values.dimensions?.[dimension] === value);
const isDlq = (v, queue) => v.of('aws_sqs_queue').some((q) => set(q.values.redrive_policy) && JSON.parse(q.values.redrive_policy).deadLetterTargetArn === queue.arn)
  || /-dlq$/.test(queue.name);

// ---------------------------------------------------------------- policies
export const evaluatedPolicies = [
  {
    id: 'kms-queues',
    title: 'every SQS queue is encrypted with a customer-managed key',
    check: every('aws_sqs_queue', (q) => customerKey(q.kms_master_key_id) && q.sqs_managed_sse_enabled !== true, 'lacks kms_master_key_id (a customer-managed key)'),
  },
  {
    id: 'kms-topics',
    title: 'every SNS topic is encrypted with a customer-managed key',
    check: every('aws_sns_topic', (t) => customerKey(t.kms_master_key_id), 'lacks kms_master_key_id (a customer-managed key)'),
  },
  {
    id: 'kms-tables',
    title: 'every DynamoDB table is encrypted with a customer-managed key',
    check: every('aws_dynamodb_table', (t) => first(t.server_side_encryption)?.enabled === true && customerKey(first(t.server_side_encryption).kms_key_arn), 'lacks server_side_encryption with kms_key_arn'),
  },
  {
    id: 'kms-log-groups',
    title: 'every log group is encrypted with a customer-managed key',
    check: every('aws_cloudwatch_log_group', (g) => customerKey(g.kms_key_id), 'lacks kms_key_id'),
  },
  {
    id: 'kms-bus-archive',
    title: 'event buses and archives are encrypted with a customer-managed key',
    check: (v) => [...every('aws_cloudwatch_event_bus', (b) => customerKey(b.kms_key_identifier), 'lacks kms_key_identifier')(v),
      ...every('aws_cloudwatch_event_archive', (a) => customerKey(a.kms_key_identifier), 'lacks kms_key_identifier')(v)],
  },
  {
    id: 'kms-buckets',
    title: 'every S3 bucket has SSE-KMS with a customer-managed key',
    check: (v) => v.of('aws_s3_bucket').filter((b) => !v.of('aws_s3_bucket_server_side_encryption_configuration').some((e) => {
      const d = first(first(e.values.rule)?.apply_server_side_encryption_by_default);
      return e.values.bucket === b.values.bucket && d?.sse_algorithm === 'aws:kms' && customerKey(d.kms_master_key_id);
    })).map((b) => `${b.address} has no SSE-KMS configuration with a customer-managed key`),
  },
  {
    id: 'kms-functions-schedules',
    title: 'function environments and schedules are encrypted with a customer-managed key',
    check: (v) => [...every('aws_lambda_function', (f) => customerKey(f.kms_key_arn), 'lacks kms_key_arn')(v),
      ...every('aws_scheduler_schedule', (s) => customerKey(s.kms_key_arn), 'lacks kms_key_arn')(v)],
  },
  {
    id: 'kms-key-rotation',
    title: 'every KMS key rotates and carries an explicit key policy',
    check: every('aws_kms_key', (k) => k.enable_key_rotation === true && set(k.policy), 'needs enable_key_rotation = true and a policy'),
  },
  {
    id: 'kms-key-policy-scoped',
    title: 'key policy grants to service principals are conditioned (source account or encryption context); account use only via named services',
    check: (v) => v.documents(KEY_POLICIES).flatMap(({ r, statements }) => statements.filter((s) => s.effect === 'Allow').flatMap((s) => {
      const out = [];
      if (s.servicePrincipals.length && !s.conditions.some((c) => ['aws:SourceAccount', 'aws:SourceArn'].includes(c.key) || c.key.startsWith('kms:EncryptionContext')))
        out.push(`${r.address} statement ${s.sid} grants ${s.servicePrincipals} without a source/encryption-context condition`);
      if (s.actions.some((a) => /^kms:(Encrypt|Decrypt|GenerateDataKey|\*)/.test(a)) && s.awsPrincipals.length && !hasCondition(s, 'kms:ViaService'))
        out.push(`${r.address} statement ${s.sid} lets account principals use the key without kms:ViaService`);
      return out;
    })),
  },
  {
    id: 'tls-queues',
    title: 'every queue policy denies requests without TLS',
    check: (v) => tlsOnly(v, 'aws_sqs_queue', 'aws_sqs_queue_policy', (p, q) => p.queue_url === q.url),
  },
  {
    id: 'tls-topics',
    title: 'every topic policy denies requests without TLS',
    check: (v) => tlsOnly(v, 'aws_sns_topic', 'aws_sns_topic_policy', (p, t) => p.arn === t.arn),
  },
  {
    id: 'tls-buckets',
    title: 'every bucket policy denies requests without TLS',
    check: (v) => tlsOnly(v, 'aws_s3_bucket', 'aws_s3_bucket_policy', (p, b) => p.bucket === b.bucket),
  },
  {
    id: 'source-arn-resource-policies',
    title: 'every service-principal grant in a queue, topic or bucket policy is scoped by aws:SourceArn',
    check: (v) => v.documents(RESOURCE_POLICIES).flatMap(({ r, statements }) => statements
      .filter((s) => s.effect === 'Allow' && s.servicePrincipals.length > 0 && !hasCondition(s, 'aws:SourceArn', ['ArnEquals', 'ArnLike']))
      .map((s) => `${r.address} statement ${s.sid} grants ${s.servicePrincipals} without an aws:SourceArn condition`)),
  },
  {
    id: 'source-arn-lambda-permissions',
    title: 'every Lambda permission names its source ARN (and account for S3) and a qualifier',
    check: (v) => v.of('aws_lambda_permission').flatMap((r) => [
      ...(set(r.values.source_arn) ? [] : [`${r.address} lacks source_arn`]),
      ...(r.values.principal === 's3.amazonaws.com' && !set(r.values.source_account) ? [`${r.address} (S3) lacks source_account`] : []),
      ...(set(r.values.qualifier) ? [] : [`${r.address} lacks qualifier: grant the alias, not every version`]),
    ]),
  },
  {
    id: 'trust-policies-scoped',
    title: 'trust policies: Lambda for execution roles; any other service principal scoped by aws:SourceAccount',
    check: (v) => v.documents(TRUST_POLICIES).flatMap(({ r, statements }) => statements
      .filter((s) => s.servicePrincipals.some((p) => p !== 'lambda.amazonaws.com') && !hasCondition(s, 'aws:SourceAccount'))
      .map((s) => `${r.address} trusts ${s.servicePrincipals} without aws:SourceAccount`)),
  },
  {
    id: 'no-star-action',
    title: 'no Allow statement of any policy grants "*" or a whole service ("svc:*")',
    check: (v) => v.documents(ALL_POLICIES).flatMap(({ r, attr, statements }) => statements
      .filter((s) => s.effect === 'Allow' && s.actions.some((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a)))
      .map((s) => `${r.address} ${attr} statement ${s.sid} allows ${s.actions.filter((a) => a.endsWith('*'))}`)),
  },
  {
    id: 'no-star-resource',
    title: 'identity and resource policies name resources; "*" only for actions without resource-level permissions (and in key policies)',
    check: (v) => v.documents([...IDENTITY_POLICIES, ...RESOURCE_POLICIES]).flatMap(({ r, statements }) => statements
      .filter((s) => s.effect === 'Allow' && s.resources.includes('*') && !s.actions.every((a) => STAR_RESOURCE_ACTIONS.has(a)))
      .map((s) => `${r.address} statement ${s.sid} allows ${s.actions} on "*"`)),
  },
  {
    id: 'tracing-active',
    title: 'every function traces with X-Ray (mode Active)',
    check: every('aws_lambda_function', (f) => first(f.tracing_config)?.mode === 'Active', 'lacks tracing_config { mode = "Active" }'),
  },
  {
    id: 'otel-tracer-collector',
    title: 'a function on the OpenTelemetry tracer runs the ADOT layer of its region through its exec wrapper, with Active tracing',
    check: (v) => v.of('aws_lambda_function').filter((f) => first(f.values.environment)?.variables?.[TRACER] === 'otel').flatMap((f) => [
      ...(list(f.values.layers).some((l) => l.split(':')[3] === f.values.region && /:layer:aws-otel-/.test(l)) ? [] : [`${f.address} selects ${TRACER} = otel without an ADOT layer (aws-otel-*) of its region`]),
      ...(first(f.values.environment).variables.AWS_LAMBDA_EXEC_WRAPPER === '/opt/otel-handler' ? [] : [`${f.address} selects ${TRACER} = otel without AWS_LAMBDA_EXEC_WRAPPER = /opt/otel-handler`]),
      ...(first(f.values.tracing_config)?.mode === 'Active' ? [] : [`${f.address} selects ${TRACER} = otel but no longer traces Active: Lambda's own segments would be lost`]),
    ]),
  },
  {
    id: 'log-retention',
    title: 'every log group has a retention',
    check: every('aws_cloudwatch_log_group', (g) => g.retention_in_days > 0, 'lacks retention_in_days'),
  },
  {
    id: 'function-log-group-managed',
    title: 'every function logs (JSON) to a log group this configuration manages',
    check: (v) => v.of('aws_lambda_function').filter((f) => {
      const lc = first(f.values.logging_config);
      return lc?.log_format !== 'JSON' || !v.of('aws_cloudwatch_log_group').some((g) => g.values.name === lc.log_group);
    }).map((f) => `${f.address} must log JSON to an aws_cloudwatch_log_group of this configuration`),
  },
  {
    id: 'visibility-timeout',
    title: 'a queue feeding a function has visibility timeout >= 6 x the function timeout',
    check: (v) => v.of('aws_lambda_event_source_mapping').flatMap((esm) => {
      const queue = v.of('aws_sqs_queue').find((q) => q.values.arn === esm.values.event_source_arn);
      const fn = functionOf(v, esm.values.function_name);
      if (!queue) return [];
      if (!fn) return [`${esm.address} invokes ${esm.values.function_name}, not a function of this configuration`];
      return queue.values.visibility_timeout_seconds >= 6 * fn.values.timeout ? []
        : [`${queue.address} visibility_timeout_seconds ${queue.values.visibility_timeout_seconds} < 6 x ${fn.address} timeout ${fn.values.timeout}`];
    }),
  },
  {
    id: 'rule-targets-dlq-retry',
    title: 'every EventBridge rule target has a DLQ and a retry policy',
    check: every('aws_cloudwatch_event_target', (t) => set(first(t.dead_letter_config)?.arn) && list(t.retry_policy).length > 0, 'lacks dead_letter_config or retry_policy'),
  },
  {
    id: 'schedules-dlq-retry',
    title: 'every schedule target has a DLQ and a retry policy',
    check: every('aws_scheduler_schedule', (s) => set(first(first(s.target)?.dead_letter_config)?.arn) && list(first(s.target)?.retry_policy).length > 0, 'target lacks dead_letter_config or retry_policy'),
  },
  {
    id: 'stream-mappings-bounded',
    title: 'stream mappings bisect, bound retries and record age, and have an on-failure destination',
    check: (v) => v.of('aws_lambda_event_source_mapping').filter((r) => set(r.values.starting_position)).flatMap((r) => [
      ...(r.values.bisect_batch_on_function_error === true ? [] : [`${r.address} lacks bisect_batch_on_function_error = true`]),
      ...['maximum_retry_attempts', 'maximum_record_age_in_seconds'].filter((a) => !set(r.values[a]) || r.values[a] === -1).map((a) => `${r.address} ${a} must be set and bounded`),
      ...(set(first(first(r.values.destination_config)?.on_failure)?.destination_arn) ? [] : [`${r.address} lacks destination_config.on_failure`]),
    ]),
  },
  {
    id: 's3-invoked-on-failure',
    title: 'a function S3 invokes asynchronously has an on-failure destination',
    check: (v) => v.of('aws_lambda_permission').filter((p) => p.values.principal === 's3.amazonaws.com').filter((p) => !v.of('aws_lambda_function_event_invoke_config').some((e) =>
      e.values.function_name === p.values.function_name && (e.values.qualifier ?? null) === (p.values.qualifier ?? null) && set(first(first(e.values.destination_config)?.on_failure)?.destination)))
      .map((p) => `${p.address}: S3 invokes ${p.values.function_name}:${p.values.qualifier} but no event invoke config sends its failures to a DLQ`),
  },
  {
    id: 'schedule-invoked-on-failure',
    title: 'a function EventBridge Scheduler invokes asynchronously has an on-failure destination',
    check: (v) => v.of('aws_scheduler_schedule').filter((s) => {
      const alias = v.of('aws_lambda_alias').find((a) => a.values.arn === first(s.values.target)?.arn);
      return !v.of('aws_lambda_function_event_invoke_config').some((e) => alias && e.values.function_name === alias.values.function_name
        && e.values.qualifier === alias.values.name && set(first(first(e.values.destination_config)?.on_failure)?.destination));
    }).map((s) => `${s.address}: the schedule invokes ${first(s.values.target)?.arn} but no event invoke config sends the runs it fails to a DLQ`),
  },
  {
    id: 'reserved-concurrency',
    title: 'every function has reserved concurrency',
    check: every('aws_lambda_function', (f) => set(f.reserved_concurrent_executions) && f.reserved_concurrent_executions !== -1, 'lacks reserved_concurrent_executions'),
  },
  {
    id: 'runtime-java21',
    title: 'every function runs on java21',
    check: every('aws_lambda_function', (f) => f.runtime === 'java21', 'does not run on java21'),
  },
  {
    id: 'snapstart-published',
    title: 'every function publishes versions with SnapStart, behind an alias',
    check: (v) => v.of('aws_lambda_function').flatMap((f) => [
      ...(first(f.values.snap_start)?.apply_on === 'PublishedVersions' ? [] : [`${f.address} lacks snap_start { apply_on = "PublishedVersions" }`]),
      ...(f.values.publish === true ? [] : [`${f.address} must publish = true`]),
      ...(v.of('aws_lambda_alias').some((a) => [f.values.function_name, f.values.arn].includes(a.values.function_name)) ? [] : [`${f.address} has no alias`]),
    ]),
  },
  {
    id: 'triggers-target-alias',
    title: 'mappings, notifications, schedules and integrations invoke the alias, never $LATEST',
    check: (v) => [
      ...v.of('aws_lambda_event_source_mapping').filter((r) => !isAlias(v, r.values.function_name)).map((r) => `${r.address} function_name must be the alias`),
      ...v.of('aws_scheduler_schedule').filter((r) => !isAlias(v, first(r.values.target)?.arn)).map((r) => `${r.address} target must be the alias`),
      ...v.of('aws_s3_bucket_notification').flatMap((r) => list(r.values.lambda_function).filter((l) => !isAlias(v, l.lambda_function_arn)).map(() => `${r.address} must notify the alias`)),
      ...v.of('aws_apigatewayv2_integration').filter((r) => !v.of('aws_lambda_alias').some((a) => [a.values.arn, a.values.invoke_arn].includes(r.values.integration_uri))).map((r) => `${r.address} must integrate the alias`),
    ],
  },
  {
    id: 'esm-partial-batch-failures',
    title: 'every event-source mapping reports partial batch failures',
    check: every('aws_lambda_event_source_mapping', (m) => list(m.function_response_types).includes('ReportBatchItemFailures'), 'lacks function_response_types = ["ReportBatchItemFailures"]'),
  },
  {
    id: 'sqs-esm-max-concurrency',
    title: 'every SQS mapping caps its concurrency (scaling_config.maximum_concurrency)',
    check: (v) => v.of('aws_lambda_event_source_mapping').filter((r) => !set(r.values.starting_position) && !set(first(r.values.scaling_config)?.maximum_concurrency)).map((r) => `${r.address} lacks scaling_config.maximum_concurrency`),
  },
  {
    id: 'sns-raw-delivery',
    title: 'SQS subscriptions use raw delivery and filter on the message body',
    check: every('aws_sns_topic_subscription', (s) => s.protocol !== 'sqs' || (s.raw_message_delivery === true && s.filter_policy_scope === 'MessageBody' && set(s.filter_policy)),
      'needs raw_message_delivery = true, filter_policy_scope = "MessageBody" and a filter_policy'),
  },
  {
    id: 'sns-subscriptions-dlq',
    title: 'every SQS subscription redrives deliveries SNS gives up on to a DLQ whose policy lets its topic send',
    check: (v) => v.of('aws_sns_topic_subscription').filter((s) => s.values.protocol === 'sqs').flatMap((s) => {
      const target = set(s.values.redrive_policy) ? JSON.parse(s.values.redrive_policy).deadLetterTargetArn : null;
      const dlq = v.of('aws_sqs_queue').find((q) => q.values.arn === target);
      if (!dlq) return [`${s.address} has no redrive_policy to a queue of this configuration: SNS would drop what it cannot deliver`];
      const allowed = v.of('aws_sqs_queue_policy').filter((p) => p.values.queue_url === dlq.values.url).flatMap((p) => statementsOf(p.values.policy))
        .some((st) => st.effect === 'Allow' && st.servicePrincipals.includes('sns.amazonaws.com') && st.actions.includes('sqs:SendMessage') && st.resources.includes(dlq.values.arn)
          && st.conditions.some((c) => c.key === 'aws:SourceArn' && ['ArnEquals', 'ArnLike'].includes(c.test) && c.values.includes(s.values.topic_arn)));
      return allowed ? [] : [`${s.address}: the policy of its DLQ ${dlq.values.name} does not let sns.amazonaws.com send from ${s.values.topic_arn}`];
    }),
  },
  {
    id: 'dlq-send-alarmed',
    title: 'where EventBridge, SNS or EventBridge Scheduler writes a DLQ, a write that fails is alarmed: InvocationsFailedToBeSentToDlq of the rule, NumberOfNotificationsFailedToRedriveToDlq of the topic, InvocationsFailedToBeSentToDeadLetterCount of the schedule group',
    check: (v) => [
      ...v.of('aws_cloudwatch_event_target').filter((t) => set(first(t.values.dead_letter_config)?.arn))
        .filter((t) => alarmsOn(v, 'AWS/Events', 'InvocationsFailedToBeSentToDlq', 'RuleName', t.values.rule).length === 0)
        .map((t) => `${t.address}: no alarm on the events of rule ${t.values.rule} that EventBridge cannot write to its DLQ (InvocationsFailedToBeSentToDlq)`),
      ...v.of('aws_sns_topic_subscription').filter((s) => set(s.values.redrive_policy))
        .filter((s) => alarmsOn(v, 'AWS/SNS', 'NumberOfNotificationsFailedToRedriveToDlq', 'TopicName', String(s.values.topic_arn).split(':').pop()).length === 0)
        .map((s) => `${s.address}: no alarm on the deliveries of ${s.values.topic_arn} that SNS cannot move to its DLQ (NumberOfNotificationsFailedToRedriveToDlq)`),
      ...v.of('aws_scheduler_schedule').filter((s) => set(first(first(s.values.target)?.dead_letter_config)?.arn))
        .filter((s) => alarmsOn(v, 'AWS/Scheduler', 'InvocationsFailedToBeSentToDeadLetterCount', 'ScheduleGroup', s.values.group_name ?? 'default').length === 0)
        .map((s) => `${s.address}: no alarm on the runs of schedule group ${s.values.group_name ?? 'default'} that the scheduler cannot write to their DLQ (InvocationsFailedToBeSentToDeadLetterCount)`),
    ],
  },
  {
    id: 'api-routes-authorized',
    title: 'every HTTP API route has an authorizer (JWT with scopes, or IAM); none is open',
    check: (v) => v.of('aws_apigatewayv2_route').flatMap((r) => {
      const { authorization_type: type, authorizer_id: authorizer, authorization_scopes: scopes } = r.values;
      if (!['JWT', 'AWS_IAM', 'CUSTOM'].includes(type)) return [`${r.address} must set authorization_type to JWT, AWS_IAM or CUSTOM (never ${type ?? 'NONE'})`];
      if (type === 'JWT' && (!v.of('aws_apigatewayv2_authorizer').some((a) => a.values.id === authorizer) || list(scopes).length === 0)) return [`${r.address} is JWT-authorized but lacks an authorizer of its API or scopes`];
      return [];
    }),
  },
  {
    id: 'queues-have-dlq',
    title: 'every queue that is not itself a DLQ redrives to a DLQ of this configuration',
    check: (v) => v.of('aws_sqs_queue').filter((q) => !isDlq(v, q.values)).filter((q) => {
      const target = set(q.values.redrive_policy) ? JSON.parse(q.values.redrive_policy).deadLetterTargetArn : null;
      return !v.of('aws_sqs_queue').some((d) => d.values.arn === target);
    }).map((q) => `${q.address} has no redrive_policy to a DLQ`),
  },
  {
    id: 'dlq-retention-14-days',
    title: 'every DLQ keeps messages 14 days',
    check: (v) => v.of('aws_sqs_queue').filter((q) => isDlq(v, q.values) && q.values.message_retention_seconds !== DLQ_RETENTION_SECONDS).map((q) => `${q.address} message_retention_seconds must be ${DLQ_RETENTION_SECONDS}`),
  },
  {
    id: 's3-public-access-block',
    title: 'every bucket blocks public access entirely',
    check: (v) => v.of('aws_s3_bucket').filter((b) => !v.of('aws_s3_bucket_public_access_block').some((p) => p.values.bucket === b.values.bucket
      && ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => p.values[k] === true)))
      .map((b) => `${b.address} lacks a full public access block`),
  },
  {
    id: 's3-versioning',
    title: 'every bucket is versioned',
    check: (v) => v.of('aws_s3_bucket').filter((b) => !v.of('aws_s3_bucket_versioning').some((x) => x.values.bucket === b.values.bucket && first(x.values.versioning_configuration)?.status === 'Enabled'))
      .map((b) => `${b.address} lacks versioning`),
  },
  {
    id: 'dynamodb-pitr',
    title: 'every table has point-in-time recovery',
    check: every('aws_dynamodb_table', (t) => first(t.point_in_time_recovery)?.enabled === true, 'lacks point_in_time_recovery'),
  },
  {
    id: 'alarm-actions',
    title: 'every alarm notifies (alarm_actions and ok_actions)',
    check: every('aws_cloudwatch_metric_alarm', (a) => list(a.alarm_actions).length > 0 && list(a.ok_actions).length > 0, 'lacks alarm_actions/ok_actions'),
  },
  {
    id: 'alarm-runbook',
    title: 'every alarm links runbooks/<AlarmKind>.md, which exists with Meaning, Impact, Diagnosis, Mitigation, Escalation',
    check: (v, { repoDir }) => v.of('aws_cloudwatch_metric_alarm').flatMap((a) => runbookViolations(repoDir, a)),
  },
  {
    id: 'dlq-alarmed',
    title: 'every DLQ has a not-empty alarm (ApproximateNumberOfMessagesVisible > 0)',
    check: (v) => v.of('aws_sqs_queue').filter((q) => isDlq(v, q.values))
      .filter((q) => !alarmsOn(v, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', q.values.name).some((a) => a.values.threshold === 0 && a.values.comparison_operator === 'GreaterThanThreshold'))
      .map((q) => `${q.address} has no DLQ-not-empty alarm`),
  },
  {
    id: 'queue-age-alarmed',
    title: 'every queue feeding a function has an age-of-oldest-message alarm',
    check: (v) => v.of('aws_lambda_event_source_mapping').map((e) => v.of('aws_sqs_queue').find((q) => q.values.arn === e.values.event_source_arn)).filter(Boolean)
      .filter((q) => alarmsOn(v, 'AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', q.values.name).length === 0)
      .map((q) => `${q.address} has no ApproximateAgeOfOldestMessage alarm`),
  },
  {
    id: 'function-alarmed',
    title: 'every function has Errors and Throttles alarms',
    check: (v) => v.of('aws_lambda_function').flatMap((f) => ['Errors', 'Throttles']
      .filter((metric) => alarmsOn(v, 'AWS/Lambda', metric, 'FunctionName', f.values.function_name).length === 0)
      .map((metric) => `${f.address} has no ${metric} alarm`)),
  },
  {
    id: 'on-failure-destination-alarmed',
    title: 'every on-failure destination (event invoke configs, stream mappings) is one the function\'s role may write, and the function has a DestinationDeliveryFailures alarm',
    check: (v) => [
      ...v.of('aws_lambda_function_event_invoke_config').map((e) => [e, e.values.function_name, first(first(e.values.destination_config)?.on_failure)?.destination]),
      ...v.of('aws_lambda_event_source_mapping').map((e) => [e, e.values.function_name, first(first(e.values.destination_config)?.on_failure)?.destination_arn]),
    ].filter(([, , destination]) => set(destination)).flatMap(([e, target, destination]) => {
      const f = functionOf(v, target);
      if (!f) return [`${e.address}: sends failures to ${destination} for ${target}, a function not in this configuration`];
      const role = v.of('aws_iam_role').find((r) => r.values.arn === f.values.role);
      const granted = v.of('aws_iam_role_policy').filter((p) => role && [role.values.name, role.values.id].includes(p.values.role))
        .flatMap((p) => statementsOf(p.values.policy))
        .some((st) => st.effect === 'Allow' && st.actions.includes('sqs:SendMessage') && st.resources.includes(destination));
      return [
        ...(granted ? [] : [`${e.address}: the role of ${f.values.function_name} may not sqs:SendMessage to its on-failure destination ${destination}`]),
        ...(alarmsOn(v, 'AWS/Lambda', 'DestinationDeliveryFailures', 'FunctionName', f.values.function_name).length > 0 ? []
          : [`${f.address} has no DestinationDeliveryFailures alarm, though ${e.address} sends its failures to ${destination}`]),
      ];
    }),
  },
];

/** The violations of `policy` among `resources` (a state's, or one module's of it). */
export function evaluate(policy, resources, repoDir) {
  return policy.check(view(resources), { repoDir });
}
