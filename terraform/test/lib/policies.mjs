// Security and reliability policies on the parsed configuration. Each policy
// returns its violations; policies.test.mjs runs them on terraform/ (no
// violation allowed) and on a broken fixture per policy (must report).
import { readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { ref, refsIn, isExpr } from './hcl.mjs';

const SCHEMA = JSON.parse(readFileSync(new URL('../aws-provider-schema.json', import.meta.url), 'utf8'));
// The names and alarm settings the modules read with jsondecode (generated from shared-lib's contract package).
const CONTRACT = JSON.parse(readFileSync(new URL('../../contract.json', import.meta.url), 'utf8'));
const RUNBOOK_SECTIONS = ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation', '## Escalation'];
const DLQ_RETENTION_SECONDS = 1209600;
// Actions that have no resource-level permissions: "*" is the only valid resource.
const STAR_RESOURCE_ACTIONS = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets']);

// ---------------------------------------------------------------- helpers
const arr = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const block = (body, name) => arr(body?.[name])[0];
const blocks = (body, name) => [
  ...arr(body?.[name]),
  ...arr(body?.dynamic?.[name]).flatMap((d) => arr(d.content)),
];
const where = (mod, r) => `${mod.rel}: ${r.kind === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
const of = (mod, type) => mod.resources.filter((r) => r.type === type);
const set = (v) => v !== undefined && v !== null && v !== '' && v !== '${null}';
const isTrue = (v) => v === true || v === 'true';
const unwrap = (s) => (typeof s === 'string' ? s.replace(/^\$\{|\}$/g, '') : s);

/** policy documents of a module with their statements (dynamic statements included). */
function policyDocs(mod) {
  return mod.data
    .filter((d) => d.type === 'aws_iam_policy_document')
    .map((d) => ({ ...d, kind: 'data', statements: blocks(d.body, 'statement') }));
}
/** The document referenced by `policy = data.aws_iam_policy_document.X.json`. */
function docFor(mod, expr) {
  const r = ref(expr);
  if (!r || r.kind !== 'data' || r.type !== 'aws_iam_policy_document') return null;
  return policyDocs(mod).find((d) => d.name === r.name) ?? null;
}
const effect = (s) => s.effect ?? 'Allow';
const actionsOf = (s) => arr(s.actions).flat();
const resourcesOf = (s) => arr(s.resources).flat();
const conditions = (s) => blocks(s, 'condition');
const principals = (s) => blocks(s, 'principals');
const servicePrincipals = (s) => principals(s).filter((p) => p.type === 'Service').flatMap((p) => arr(p.identifiers));
const hasCond = (s, variable, tests) => conditions(s).some((c) => c.variable === variable && (!tests || tests.includes(c.test)));
const isTlsDeny = (s) =>
  effect(s) === 'Deny' &&
  conditions(s).some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && arr(c.values).map(String).includes('false'));
/** Documents used as KMS key policies (their Resource "*" means the key). */
function keyPolicyDocs(mod) {
  return new Set(of(mod, 'aws_kms_key').map((k) => ref(k.body.policy)?.name).filter(Boolean));
}
/** Documents attached as resource policies (queue, topic, bucket). */
function resourcePolicyDocs(mod) {
  const types = ['aws_sqs_queue_policy', 'aws_sns_topic_policy', 'aws_s3_bucket_policy'];
  return new Set(mod.resources.filter((r) => types.includes(r.type)).map((r) => ref(r.body.policy)?.name).filter(Boolean));
}
/** Documents used as assume-role (trust) policies. */
function trustDocs(mod) {
  return new Set(of(mod, 'aws_iam_role').map((r) => ref(r.body.assume_role_policy)?.name).filter(Boolean));
}

/** Every resource of `type` must be covered by a policy resource (`attachType`, `attachAttr` referencing it) whose document has a TLS deny on it. */
function tlsOnly(config, type, attachType, attachAttr) {
  const out = [];
  for (const mod of config.modules) {
    for (const r of of(mod, type)) {
      const attached = of(mod, attachType).filter((p) => refsIn(p.body[attachAttr]).some((x) => x.type === type && x.name === r.name));
      const ok = attached.some((p) => {
        const doc = docFor(mod, p.body.policy);
        return doc && doc.statements.some((s) => isTlsDeny(s) && refsIn(resourcesOf(s)).some((x) => x.type === type && x.name === r.name));
      });
      if (!ok) out.push(`${where(mod, r)} has no ${attachType} denying aws:SecureTransport = false`);
    }
  }
  return out;
}

/** A number literal, or the default of the variable it names (`${var.x}`), else null. */
function literalOrDefault(mod, v) {
  const resolved = fromContract(v);
  if (typeof resolved === 'number') return resolved;
  const m = /^\$\{var\.([a-z0-9_]+)\}$/.exec(String(v ?? ''));
  if (m && typeof mod.variables[m[1]]?.default === 'number') return mod.variables[m[1]].default;
  return null;
}

/** A literal, or the value of `local.contract.<path>` (a module's jsondecode of terraform/contract.json). */
function fromContract(v) {
  const m = /^\$\{local\.contract\.([A-Za-z0-9_.]+)\}$/.exec(String(v ?? ''));
  return m ? m[1].split('.').reduce((o, k) => o?.[k], CONTRACT) : v;
}

function runbookViolations(config, alarm, mod) {
  const out = [];
  const desc = String(alarm.body.alarm_description ?? '');
  const m = /runbooks\/([A-Za-z0-9]+)\.md/.exec(desc);
  if (!m) return [`${where(mod, alarm)} alarm_description has no runbooks/<AlarmKind>.md link`];
  const kind = m[1];
  const file = join(config.repoDir, 'runbooks', `${kind}.md`);
  if (!existsSync(file)) return [`${where(mod, alarm)} links runbooks/${kind}.md, which does not exist`];
  const text = readFileSync(file, 'utf8');
  for (const section of RUNBOOK_SECTIONS) if (!text.split('\n').includes(section)) out.push(`runbooks/${kind}.md lacks the section "${section}"`);
  if (!String(alarm.body.alarm_name ?? '').endsWith(`-${kind}`)) out.push(`${where(mod, alarm)} alarm_name must end with -${kind} (the stable alarm kind)`);
  return out;
}

// ---------------------------------------------------------------- policies
export const policies = [
  {
    id: 'kms-queues',
    title: 'every SQS queue is encrypted with the customer-managed key',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_sqs_queue').filter((r) => !set(r.body.kms_master_key_id) || isTrue(r.body.sqs_managed_sse_enabled)).map((r) => `${where(m, r)} lacks kms_master_key_id`)),
  },
  {
    id: 'kms-topics',
    title: 'every SNS topic is encrypted with the customer-managed key',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_sns_topic').filter((r) => !set(r.body.kms_master_key_id)).map((r) => `${where(m, r)} lacks kms_master_key_id`)),
  },
  {
    id: 'kms-tables',
    title: 'every DynamoDB table is encrypted with the customer-managed key',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_dynamodb_table').filter((r) => {
      const sse = block(r.body, 'server_side_encryption');
      return !sse || !isTrue(sse.enabled) || !set(sse.kms_key_arn);
    }).map((r) => `${where(m, r)} lacks server_side_encryption with kms_key_arn`)),
  },
  {
    id: 'kms-log-groups',
    title: 'every log group is encrypted with the customer-managed key',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_cloudwatch_log_group').filter((r) => !set(r.body.kms_key_id)).map((r) => `${where(m, r)} lacks kms_key_id`)),
  },
  {
    id: 'kms-bus-archive',
    title: 'the event bus and its archive are encrypted with the customer-managed key',
    check: (c) => c.modules.flatMap((m) => [...of(m, 'aws_cloudwatch_event_bus'), ...of(m, 'aws_cloudwatch_event_archive')].filter((r) => !set(r.body.kms_key_identifier)).map((r) => `${where(m, r)} lacks kms_key_identifier`)),
  },
  {
    id: 'kms-buckets',
    title: 'every S3 bucket has SSE-KMS with the customer-managed key',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_s3_bucket').filter((b) => !of(m, 'aws_s3_bucket_server_side_encryption_configuration').some((e) => {
      if (!refsIn(e.body.bucket).some((x) => x.type === 'aws_s3_bucket' && x.name === b.name)) return false;
      const d = block(block(e.body, 'rule'), 'apply_server_side_encryption_by_default');
      return d && d.sse_algorithm === 'aws:kms' && set(d.kms_master_key_id);
    })).map((b) => `${where(m, b)} has no SSE-KMS configuration`)),
  },
  {
    id: 'kms-functions-schedules',
    title: 'function environments and schedules are encrypted with the customer-managed key',
    check: (c) => c.modules.flatMap((m) => [...of(m, 'aws_lambda_function'), ...of(m, 'aws_scheduler_schedule')].filter((r) => !set(r.body.kms_key_arn)).map((r) => `${where(m, r)} lacks kms_key_arn`)),
  },
  {
    id: 'kms-key-rotation',
    title: 'every KMS key rotates and carries an explicit key policy',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_kms_key').filter((r) => !isTrue(r.body.enable_key_rotation) || !set(r.body.policy)).map((r) => `${where(m, r)} needs enable_key_rotation = true and a policy`)),
  },
  {
    id: 'kms-key-policy-scoped',
    title: 'key policy grants to service principals are conditioned (source account or encryption context); account use only via named services',
    check: (c) => c.modules.flatMap((m) => {
      const keyDocs = keyPolicyDocs(m);
      return policyDocs(m).filter((d) => keyDocs.has(d.name)).flatMap((d) => d.statements.filter((s) => effect(s) === 'Allow').flatMap((s) => {
        const out = [];
        if (servicePrincipals(s).length && !conditions(s).some((x) => ['aws:SourceAccount', 'aws:SourceArn'].includes(x.variable) || String(x.variable).startsWith('kms:EncryptionContext')))
          out.push(`${where(m, d)} statement ${s.sid ?? ''} grants a service principal without a source/encryption-context condition`);
        const usage = actionsOf(s).some((a) => /^kms:(Encrypt|Decrypt|GenerateDataKey)/.test(a));
        if (usage && principals(s).some((p) => p.type === 'AWS') && !hasCond(s, 'kms:ViaService')) out.push(`${where(m, d)} statement ${s.sid ?? ''} lets account principals use the key without kms:ViaService`);
        return out;
      }));
    }),
  },
  {
    id: 'tls-queues',
    title: 'every queue policy denies requests without TLS',
    check: (c) => tlsOnly(c, 'aws_sqs_queue', 'aws_sqs_queue_policy', 'queue_url'),
  },
  {
    id: 'tls-topics',
    title: 'every topic policy denies requests without TLS',
    check: (c) => tlsOnly(c, 'aws_sns_topic', 'aws_sns_topic_policy', 'arn'),
  },
  {
    id: 'tls-buckets',
    title: 'every bucket policy denies requests without TLS',
    check: (c) => tlsOnly(c, 'aws_s3_bucket', 'aws_s3_bucket_policy', 'bucket'),
  },
  {
    id: 'source-arn-resource-policies',
    title: 'every service-principal grant in a queue, topic or bucket policy is scoped by aws:SourceArn',
    check: (c) => c.modules.flatMap((m) => {
      const docs = resourcePolicyDocs(m);
      return policyDocs(m).filter((d) => docs.has(d.name)).flatMap((d) => d.statements
        .filter((s) => effect(s) === 'Allow' && servicePrincipals(s).length > 0 && !hasCond(s, 'aws:SourceArn', ['ArnEquals', 'ArnLike']))
        .map((s) => `${where(m, d)} statement ${s.sid ?? ''} grants ${servicePrincipals(s).join(', ')} without an aws:SourceArn condition`));
    }),
  },
  {
    id: 'source-arn-lambda-permissions',
    title: 'every Lambda permission names its source ARN (and account for S3) and a qualifier',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_permission').flatMap((r) => {
      const out = [];
      if (!set(r.body.source_arn)) out.push(`${where(m, r)} lacks source_arn`);
      if (r.body.principal === 's3.amazonaws.com' && !set(r.body.source_account)) out.push(`${where(m, r)} (S3) lacks source_account`);
      if (!set(r.body.qualifier)) out.push(`${where(m, r)} lacks qualifier: grant the alias, not every version`);
      return out;
    })),
  },
  {
    id: 'trust-policies-scoped',
    title: 'trust policies: Lambda for execution roles; any other service principal scoped by aws:SourceAccount',
    check: (c) => c.modules.flatMap((m) => {
      const docs = trustDocs(m);
      return policyDocs(m).filter((d) => docs.has(d.name)).flatMap((d) => d.statements
        .filter((s) => servicePrincipals(s).some((p) => p !== 'lambda.amazonaws.com') && !hasCond(s, 'aws:SourceAccount'))
        .map((s) => `${where(m, d)} trusts ${servicePrincipals(s).join(', ')} without aws:SourceAccount`));
    }),
  },
  {
    id: 'no-star-action',
    title: 'no Allow statement grants "*" or a whole service ("svc:*")',
    check: (c) => c.modules.flatMap((m) => policyDocs(m).flatMap((d) => d.statements
      .filter((s) => effect(s) === 'Allow' && actionsOf(s).some((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a)))
      .map((s) => `${where(m, d)} statement ${s.sid ?? ''} allows ${actionsOf(s).filter((a) => a.endsWith('*')).join(', ')}`))),
  },
  {
    id: 'no-star-resource',
    title: 'identity and resource policies name resources; "*" only for actions without resource-level permissions (and in key policies)',
    check: (c) => c.modules.flatMap((m) => {
      const keyDocs = keyPolicyDocs(m);
      return policyDocs(m).filter((d) => !keyDocs.has(d.name)).flatMap((d) => d.statements
        .filter((s) => effect(s) === 'Allow' && resourcesOf(s).includes('*') && !actionsOf(s).every((a) => STAR_RESOURCE_ACTIONS.has(a)))
        .map((s) => `${where(m, d)} statement ${s.sid ?? ''} allows ${actionsOf(s).join(', ')} on "*"`));
    }),
  },
  {
    id: 'tracing-active',
    title: 'every function traces with X-Ray (mode Active)',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').filter((r) => block(r.body, 'tracing_config')?.mode !== 'Active').map((r) => `${where(m, r)} lacks tracing_config { mode = "Active" }`)),
  },
  {
    id: 'log-retention',
    title: 'every log group has a retention',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_cloudwatch_log_group').filter((r) => !set(r.body.retention_in_days) || r.body.retention_in_days === 0).map((r) => `${where(m, r)} lacks retention_in_days`)),
  },
  {
    id: 'function-log-group-managed',
    title: 'every function logs (JSON) to a log group this configuration manages',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').filter((r) => {
      const lc = block(r.body, 'logging_config');
      return !lc || lc.log_format !== 'JSON' || !refsIn(lc.log_group).some((x) => x.type === 'aws_cloudwatch_log_group' && m.resources.some((g) => g.type === x.type && g.name === x.name));
    }).map((r) => `${where(m, r)} must log JSON to an aws_cloudwatch_log_group of its module`)),
  },
  {
    id: 'visibility-timeout',
    title: 'a queue feeding a function has visibility timeout >= 6 x the function timeout (literal check, or enforced by a validation)',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_event_source_mapping').flatMap((esm) => {
      const q = refsIn(esm.body.event_source_arn).find((x) => x.type === 'aws_sqs_queue');
      if (!q) return [];
      const queue = of(m, 'aws_sqs_queue').find((r) => r.name === q.name);
      const vis = literalOrDefault(m, queue?.body.visibility_timeout_seconds);
      const fns = of(m, 'aws_lambda_function');
      const timeout = fns.length === 1 ? literalOrDefault(m, fns[0].body.timeout) : null;
      if (vis !== null && timeout !== null) return vis >= 6 * timeout ? [] : [`${where(m, queue)} visibility_timeout_seconds ${vis} < 6 x function timeout ${timeout}`];
      const validated = Object.values(m.variables).some((v) => arr(v.validation).some((val) => /visibility_timeout_seconds\s*>=\s*6\s*\*/.test(String(val.condition))));
      return validated ? [] : [`${where(m, queue ?? esm)} visibility timeout is neither literal nor validated >= 6 x timeout_seconds`];
    })),
  },
  {
    id: 'rule-targets-dlq-retry',
    title: 'every EventBridge rule target has a DLQ and a retry policy',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_cloudwatch_event_target').filter((r) => !set(block(r.body, 'dead_letter_config')?.arn) || !block(r.body, 'retry_policy')).map((r) => `${where(m, r)} lacks dead_letter_config or retry_policy`)),
  },
  {
    id: 'schedules-dlq-retry',
    title: 'every schedule target has a DLQ and a retry policy',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_scheduler_schedule').filter((r) => {
      const t = block(r.body, 'target');
      return !t || !set(block(t, 'dead_letter_config')?.arn) || !block(t, 'retry_policy');
    }).map((r) => `${where(m, r)} target lacks dead_letter_config or retry_policy`)),
  },
  {
    id: 'stream-mappings-bounded',
    title: 'stream mappings bisect, bound retries and record age, and have an on-failure destination',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_event_source_mapping').filter((r) => set(r.body.starting_position)).flatMap((r) => {
      const out = [];
      if (!isTrue(r.body.bisect_batch_on_function_error)) out.push(`${where(m, r)} lacks bisect_batch_on_function_error = true`);
      for (const a of ['maximum_retry_attempts', 'maximum_record_age_in_seconds']) if (!set(r.body[a]) || r.body[a] === -1) out.push(`${where(m, r)} ${a} must be set and bounded`);
      if (!set(block(block(r.body, 'destination_config'), 'on_failure')?.destination_arn)) out.push(`${where(m, r)} lacks destination_config.on_failure`);
      return out;
    })),
  },
  {
    id: 's3-invoked-on-failure',
    title: 'a function S3 invokes asynchronously has an on-failure destination',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_permission').filter((p) => p.body.principal === 's3.amazonaws.com')
      .filter(() => !of(m, 'aws_lambda_function_event_invoke_config').some((e) => set(block(block(e.body, 'destination_config'), 'on_failure')?.destination)))
      .map((p) => `${where(m, p)}: S3 invokes the function but no event invoke config sends failures to a DLQ`)),
  },
  {
    id: 'reserved-concurrency',
    title: 'every function has reserved concurrency',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').filter((r) => !set(r.body.reserved_concurrent_executions) || r.body.reserved_concurrent_executions === -1).map((r) => `${where(m, r)} lacks reserved_concurrent_executions`)),
  },
  {
    id: 'runtime-java21',
    title: 'every function runs on java21',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').filter((r) => r.body.runtime !== 'java21').map((r) => `${where(m, r)} runtime is ${r.body.runtime}, not java21`)),
  },
  {
    id: 'snapstart-published',
    title: 'every function publishes versions with SnapStart, behind an alias',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').flatMap((r) => {
      const out = [];
      if (block(r.body, 'snap_start')?.apply_on !== 'PublishedVersions') out.push(`${where(m, r)} lacks snap_start { apply_on = "PublishedVersions" }`);
      if (!isTrue(r.body.publish)) out.push(`${where(m, r)} must publish = true`);
      if (!of(m, 'aws_lambda_alias').some((a) => refsIn(a.body.function_name).some((x) => x.name === r.name))) out.push(`${where(m, r)} has no alias`);
      return out;
    })),
  },
  {
    id: 'code-hash',
    title: 'function code comes from a zip with source_code_hash = filebase64sha256 of the same file',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').filter((r) => {
      const f = unwrap(r.body.filename);
      return !set(r.body.filename) || String(r.body.source_code_hash) !== `\${filebase64sha256(${f})}`;
    }).map((r) => `${where(m, r)} must set filename and source_code_hash = filebase64sha256(<same path>)`)),
  },
  {
    id: 'triggers-target-alias',
    title: 'mappings, notifications and schedules invoke the alias, never $LATEST',
    check: (c) => c.modules.flatMap((m) => {
      const out = [];
      const bad = (expr) => /aws_lambda_function\.[a-z0-9_]+\.(arn|function_name|invoke_arn)\b/.test(String(expr)) || !/alias/.test(String(expr));
      for (const r of of(m, 'aws_lambda_event_source_mapping')) if (bad(r.body.function_name)) out.push(`${where(m, r)} function_name must be the alias`);
      for (const r of of(m, 'aws_scheduler_schedule')) if (bad(block(r.body, 'target')?.arn)) out.push(`${where(m, r)} target must be the alias`);
      for (const r of of(m, 'aws_s3_bucket_notification')) for (const l of blocks(r.body, 'lambda_function')) if (bad(l.lambda_function_arn)) out.push(`${where(m, r)} must notify the alias`);
      for (const r of of(m, 'aws_apigatewayv2_integration')) if (bad(r.body.integration_uri)) out.push(`${where(m, r)} must integrate the alias`);
      return out;
    }),
  },
  {
    id: 'esm-partial-batch-failures',
    title: 'every event-source mapping reports partial batch failures',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_event_source_mapping').filter((r) => !arr(r.body.function_response_types).includes('ReportBatchItemFailures')).map((r) => `${where(m, r)} lacks function_response_types = ["ReportBatchItemFailures"]`)),
  },
  {
    id: 'sqs-esm-max-concurrency',
    title: 'every SQS mapping can cap its concurrency (scaling_config.maximum_concurrency)',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_event_source_mapping').filter((r) => !set(r.body.starting_position) && blocks(r.body, 'scaling_config').length === 0).map((r) => `${where(m, r)} lacks scaling_config`)),
  },
  {
    id: 'sns-raw-delivery',
    title: 'SQS subscriptions use raw delivery and filter on the message body',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_sns_topic_subscription').filter((r) => r.body.protocol === 'sqs').filter((r) => !isTrue(r.body.raw_message_delivery) || r.body.filter_policy_scope !== 'MessageBody' || !set(r.body.filter_policy)).map((r) => `${where(m, r)} needs raw_message_delivery = true, filter_policy_scope = "MessageBody" and a filter_policy`)),
  },
  {
    id: 'api-routes-authorized',
    title: 'every HTTP API route has an authorizer (JWT with scopes, or IAM); none is open',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_apigatewayv2_route').flatMap((r) => {
      // The type is a literal or a conditional over literals: every branch must be an authorizer.
      const types = [...String(r.body.authorization_type ?? '').matchAll(/(?:^|")([A-Z_]+)(?:"|$)/g)].map((x) => x[1]);
      if (types.length === 0 || types.some((t) => !['JWT', 'AWS_IAM', 'CUSTOM'].includes(t))) return [`${where(m, r)} must set authorization_type to JWT, AWS_IAM or CUSTOM (never NONE)`];
      if (types.includes('JWT') && (!set(r.body.authorizer_id) || !set(r.body.authorization_scopes))) return [`${where(m, r)} is JWT-authorized but lacks authorizer_id or authorization_scopes`];
      return [];
    })),
  },
  {
    id: 'queues-have-dlq',
    title: 'every queue that is not itself a DLQ redrives to a DLQ',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_sqs_queue').filter((r) => !/dlq/.test(r.name) && !/deadLetterTargetArn/.test(String(r.body.redrive_policy ?? ''))).map((r) => `${where(m, r)} has no redrive_policy to a DLQ`)),
  },
  {
    id: 'dlq-retention-14-days',
    title: 'every DLQ keeps messages 14 days',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_sqs_queue').filter((r) => /dlq/.test(r.name) && literalOrDefault(m, r.body.message_retention_seconds) !== DLQ_RETENTION_SECONDS).map((r) => `${where(m, r)} message_retention_seconds must be ${DLQ_RETENTION_SECONDS}`)),
  },
  {
    id: 's3-public-access-block',
    title: 'every bucket blocks public access entirely',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_s3_bucket').filter((b) => !of(m, 'aws_s3_bucket_public_access_block').some((p) =>
      refsIn(p.body.bucket).some((x) => x.name === b.name) && ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => isTrue(p.body[k])),
    )).map((b) => `${where(m, b)} lacks a full public access block`)),
  },
  {
    id: 's3-versioning',
    title: 'every bucket is versioned',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_s3_bucket').filter((b) => !of(m, 'aws_s3_bucket_versioning').some((v) =>
      refsIn(v.body.bucket).some((x) => x.name === b.name) && block(v.body, 'versioning_configuration')?.status === 'Enabled',
    )).map((b) => `${where(m, b)} lacks versioning`)),
  },
  {
    id: 'dynamodb-pitr',
    title: 'every table has point-in-time recovery',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_dynamodb_table').filter((r) => !isTrue(block(r.body, 'point_in_time_recovery')?.enabled)).map((r) => `${where(m, r)} lacks point_in_time_recovery`)),
  },
  {
    id: 'alarm-actions',
    title: 'every alarm notifies (alarm_actions and ok_actions)',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_cloudwatch_metric_alarm').filter((r) => arr(r.body.alarm_actions).length === 0 || arr(r.body.ok_actions).length === 0).map((r) => `${where(m, r)} lacks alarm_actions/ok_actions`)),
  },
  {
    id: 'alarm-runbook',
    title: 'every alarm links runbooks/<AlarmKind>.md, which exists with Meaning, Impact, Diagnosis, Mitigation, Escalation',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_cloudwatch_metric_alarm').flatMap((r) => runbookViolations(c, r, m))),
  },
  {
    id: 'dlq-alarmed',
    title: 'every DLQ has a not-empty alarm (ApproximateNumberOfMessagesVisible > 0)',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_sqs_queue').filter((q) => /dlq/.test(q.name)).filter((q) => !of(m, 'aws_cloudwatch_metric_alarm').some((a) =>
      fromContract(a.body.metric_name) === 'ApproximateNumberOfMessagesVisible' && refsIn(a.body.dimensions).some((x) => x.type === 'aws_sqs_queue' && x.name === q.name) && literalOrDefault(m, a.body.threshold) === 0,
    )).map((q) => `${where(m, q)} has no DLQ-not-empty alarm`)),
  },
  {
    id: 'queue-age-alarmed',
    title: 'every queue feeding a function has an age-of-oldest-message alarm',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_event_source_mapping').map((e) => refsIn(e.body.event_source_arn).find((x) => x.type === 'aws_sqs_queue')).filter(Boolean)
      .filter((q) => !of(m, 'aws_cloudwatch_metric_alarm').some((a) => fromContract(a.body.metric_name) === 'ApproximateAgeOfOldestMessage' && refsIn(a.body.dimensions).some((x) => x.type === 'aws_sqs_queue' && x.name === q.name)))
      .map((q) => `${m.rel}: aws_sqs_queue.${q.name} has no ApproximateAgeOfOldestMessage alarm`)),
  },
  {
    id: 'function-alarmed',
    title: 'every function has Errors and Throttles alarms',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').flatMap((f) => ['Errors', 'Throttles'].filter((metric) => !of(m, 'aws_cloudwatch_metric_alarm').some((a) =>
      fromContract(a.body.namespace) === 'AWS/Lambda' && fromContract(a.body.metric_name) === metric && refsIn(a.body.dimensions).some((x) => x.type === 'aws_lambda_function' && x.name === f.name),
    )).map((metric) => `${where(m, f)} has no ${metric} alarm`))),
  },
  {
    id: 'provider-pinned',
    title: 'every module pins terraform >= 1.9 and hashicorp/aws ~> 6.25 in versions.tf',
    check: (c) => c.modules.flatMap((m) => {
      const t = m.terraform.find((x) => basename(x.file) === 'versions.tf' && x.required_providers);
      const aws = t && arr(t.required_providers)[0]?.aws;
      return t && t.required_version === '>= 1.9' && aws?.source === 'hashicorp/aws' && aws?.version === '~> 6.25' ? [] : [`${m.rel}: versions.tf must pin required_version ">= 1.9" and hashicorp/aws "~> 6.25"`];
    }),
  },
  {
    id: 'variables-described-typed',
    title: 'every variable has a description and a precise type (no any)',
    check: (c) => c.modules.flatMap((m) => Object.entries(m.variables).filter(([, v]) => !set(v.description) || !set(v.type) || /\bany\b/.test(String(v.type))).map(([n]) => `${m.rel}: variable "${n}" needs a description and a precise type`)),
  },
  {
    id: 'booleans-verb-first',
    title: 'boolean variables are named verb-first (create_, enable_, ...)',
    check: (c) => c.modules.flatMap((m) => Object.entries(m.variables).filter(([n, v]) => v.type === '${bool}' && !/^(create|enable|is|use|allow|attach|manage|publish)_/.test(n)).map(([n]) => `${m.rel}: boolean variable "${n}" must start with a verb (create_, enable_, ...)`)),
  },
  {
    id: 'taggable-resources-tagged',
    title: 'every resource that supports tags sets them',
    check: (c) => c.modules.flatMap((m) => m.resources.filter((r) => SCHEMA.resource_schemas[r.type]?.block.attributes.some((a) => a.name === "tags") && !set(r.body.tags)).map((r) => `${where(m, r)} supports tags but sets none`)),
  },
];
