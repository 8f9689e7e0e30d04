// What AWS would return for the computed attributes of the types this platform uses: ARNs in
// each service's format, queue URLs, invoke ARNs, API endpoints, key ids, stream ARNs. Ids are
// derived from the resource's own name, so two applies of the same configuration agree.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';

const digest = (...parts) => createHash('sha256').update(parts.join('\u0000')).digest();
const hex = (...parts) => digest(...parts).toString('hex');
const uuid = (...parts) => { const h = hex(...parts); return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`; };
const base36 = (n, ...parts) => [...digest(...parts)].map((b) => '0123456789abcdefghijklmnopqrstuvwxyz'[b % 36]).join('').slice(0, n);
const upper = (n, ...parts) => [...digest(...parts)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('').slice(0, n);
// A fixed instant, so that state written twice from the same configuration is the same.
const CREATED = '2026-01-01T00:00:00Z';
const STREAM_LABEL = '2026-01-01T00:00:00.000';

function fileFacts(path) {
  if (!path || !existsSync(path)) return { sha256: undefined, size: undefined };
  const bytes = readFileSync(path);
  return { sha256: createHash('sha256').update(bytes).digest('base64'), size: statSync(path).size };
}

const lambdaInvokeArn = (region, arn) => `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
const lastSegment = (arn) => String(arn ?? '').split(/[:/]/).pop();

/**
 * Computed attributes of a resource of `type` whose other values are `v`, for a provider
 * configured with `ctx` ({ region, account }). Returns only what it knows; the caller fills
 * anything else with a neutral value of the right type.
 */
export function resourceComputed(type, v, { region, account }) {
  const r = v.region ?? region;
  const a = account;
  switch (type) {
    case 'aws_kms_key': {
      const id = uuid('kms', v.description ?? '', JSON.stringify(v.tags ?? {}));
      return { id, key_id: id, arn: `arn:aws:kms:${r}:${a}:key/${id}` };
    }
    case 'aws_kms_alias':
      return { id: v.name, arn: `arn:aws:kms:${r}:${a}:${v.name}`, target_key_arn: String(v.target_key_id).startsWith('arn:') ? v.target_key_id : `arn:aws:kms:${r}:${a}:key/${v.target_key_id}` };
    case 'aws_cloudwatch_event_bus':
      return { id: v.name, arn: `arn:aws:events:${r}:${a}:event-bus/${v.name}` };
    case 'aws_cloudwatch_event_archive':
      return { id: v.name, arn: `arn:aws:events:${r}:${a}:archive/${v.name}` };
    case 'aws_cloudwatch_event_rule': {
      const bus = v.event_bus_name && v.event_bus_name !== 'default' ? lastSegment(v.event_bus_name) : null;
      return { id: bus ? `${bus}/${v.name}` : v.name, arn: `arn:aws:events:${r}:${a}:rule/${bus ? `${bus}/` : ''}${v.name}` };
    }
    case 'aws_cloudwatch_event_target': {
      const targetId = v.target_id ?? `terraform-${base36(20, 'target', v.rule, v.arn)}`;
      const bus = v.event_bus_name && v.event_bus_name !== 'default' ? `${lastSegment(v.event_bus_name)}-` : '';
      return { target_id: targetId, id: `${bus}${v.rule}-${targetId}` };
    }
    case 'aws_sns_topic': {
      const arn = `arn:aws:sns:${r}:${a}:${v.name}`;
      return { id: arn, arn, owner: a, beginning_archive_time: '' };
    }
    case 'aws_sns_topic_policy':
      return { id: v.arn, owner: a };
    case 'aws_sns_topic_subscription': {
      const arn = `${v.topic_arn}:${uuid('subscription', v.topic_arn, v.endpoint)}`;
      return { id: arn, arn, owner_id: a, confirmation_was_authenticated: true, pending_confirmation: false };
    }
    case 'aws_sqs_queue':
      return { id: `https://sqs.${r}.amazonaws.com/${a}/${v.name}`, url: `https://sqs.${r}.amazonaws.com/${a}/${v.name}`, arn: `arn:aws:sqs:${r}:${a}:${v.name}` };
    case 'aws_sqs_queue_policy':
    case 'aws_sqs_queue_redrive_allow_policy':
      return { id: v.queue_url };
    case 'aws_lambda_function': {
      const arn = `arn:aws:lambda:${r}:${a}:function:${v.function_name}`;
      const version = v.publish ? '1' : '$LATEST';
      const file = fileFacts(v.filename);
      return {
        id: v.function_name, arn, invoke_arn: lambdaInvokeArn(r, arn), version,
        qualified_arn: `${arn}:${version}`, qualified_invoke_arn: lambdaInvokeArn(r, `${arn}:${version}`),
        last_modified: '2026-01-01T00:00:00.000+0000', code_sha256: v.source_code_hash ?? file.sha256, source_code_size: file.size ?? 0,
        signing_job_arn: '', signing_profile_version_arn: '',
      };
    }
    case 'aws_lambda_alias': {
      const fn = String(v.function_name).startsWith('arn:') ? v.function_name.replace(/:\d+$|:\$LATEST$/, '') : `arn:aws:lambda:${r}:${a}:function:${v.function_name}`;
      const arn = `${fn}:${v.name}`;
      return { id: arn, arn, invoke_arn: lambdaInvokeArn(r, arn) };
    }
    case 'aws_lambda_event_source_mapping': {
      const id = uuid('esm', v.event_source_arn ?? '', v.function_name);
      const fn = String(v.function_name).startsWith('arn:') ? v.function_name : `arn:aws:lambda:${r}:${a}:function:${v.function_name}`;
      return {
        id, uuid: id, arn: `arn:aws:lambda:${r}:${a}:event-source-mapping:${id}`, function_arn: fn, state: v.enabled === false ? 'Disabled' : 'Enabled',
        state_transition_reason: 'USER_INITIATED', last_modified: CREATED, last_processing_result: 'No records processed',
      };
    }
    case 'aws_lambda_function_event_invoke_config':
      return { id: v.qualifier ? `${v.function_name}:${v.qualifier}` : v.function_name };
    case 'aws_lambda_permission':
      return { id: v.statement_id ?? `terraform-${base36(26, 'perm', v.function_name, v.source_arn ?? '')}`, statement_id: v.statement_id ?? `terraform-${base36(26, 'perm', v.function_name, v.source_arn ?? '')}` };
    case 'aws_iam_role': {
      const name = v.name ?? `${v.name_prefix ?? 'terraform-'}${base36(26, 'role', JSON.stringify(v.assume_role_policy))}`;
      return { id: name, name, arn: `arn:aws:iam::${a}:role${v.path ?? '/'}${name}`, unique_id: `AROA${upper(17, 'role', name)}`, create_date: CREATED };
    }
    case 'aws_iam_role_policy':
      return { id: `${v.role}:${v.name}` };
    case 'aws_cloudwatch_log_group':
      return { id: v.name, arn: `arn:aws:logs:${r}:${a}:log-group:${v.name}` };
    case 'aws_cloudwatch_metric_alarm':
      return { id: v.alarm_name, arn: `arn:aws:cloudwatch:${r}:${a}:alarm:${v.alarm_name}` };
    case 'aws_cloudwatch_dashboard':
      return { id: v.dashboard_name, dashboard_arn: `arn:aws:cloudwatch::${a}:dashboard/${v.dashboard_name}` };
    case 'aws_dynamodb_table': {
      const arn = `arn:aws:dynamodb:${r}:${a}:table/${v.name}`;
      return { id: v.name, arn, stream_arn: v.stream_enabled ? `${arn}/stream/${STREAM_LABEL}` : '', stream_label: v.stream_enabled ? STREAM_LABEL : '' };
    }
    case 'aws_s3_bucket':
      return {
        id: v.bucket, arn: `arn:aws:s3:::${v.bucket}`, bucket_domain_name: `${v.bucket}.s3.amazonaws.com`,
        bucket_regional_domain_name: `${v.bucket}.s3.${r}.amazonaws.com`, hosted_zone_id: HOSTED_ZONES[r] ?? 'Z3AQBSTGFYJSTF', bucket_region: r,
      };
    case 'aws_s3_bucket_versioning':
    case 'aws_s3_bucket_server_side_encryption_configuration':
    case 'aws_s3_bucket_public_access_block':
    case 'aws_s3_bucket_ownership_controls':
    case 'aws_s3_bucket_policy':
    case 'aws_s3_bucket_notification':
    case 'aws_s3_bucket_lifecycle_configuration':
      return { id: v.bucket };
    case 'aws_scheduler_schedule_group':
      return { id: v.name, arn: `arn:aws:scheduler:${r}:${a}:schedule-group/${v.name}`, state: 'ACTIVE', creation_date: CREATED, last_modification_date: CREATED };
    case 'aws_scheduler_schedule': {
      const group = v.group_name ?? 'default';
      return { id: `${group}/${v.name}`, group_name: group, arn: `arn:aws:scheduler:${r}:${a}:schedule/${group}/${v.name}` };
    }
    case 'aws_apigatewayv2_api': {
      const id = base36(10, 'api', v.name);
      return {
        id, api_endpoint: `https://${id}.execute-api.${r}.amazonaws.com`, arn: `arn:aws:apigateway:${r}::/apis/${id}`,
        execution_arn: `arn:aws:execute-api:${r}:${a}:${id}`, api_key_selection_expression: '$request.header.x-api-key', route_selection_expression: '$request.method $request.path',
      };
    }
    case 'aws_apigatewayv2_integration':
      return { id: base36(7, 'integration', v.api_id, v.integration_uri ?? ''), integration_response_selection_expression: '', connection_type: 'INTERNET', timeout_milliseconds: 30000 };
    case 'aws_apigatewayv2_route':
      return { id: base36(7, 'route', v.api_id, v.route_key) };
    case 'aws_apigatewayv2_stage': {
      const base = `https://${v.api_id}.execute-api.${r}.amazonaws.com`;
      return {
        id: v.name, arn: `arn:aws:apigateway:${r}::/apis/${v.api_id}/stages/${v.name}`, execution_arn: `arn:aws:execute-api:${r}:${a}:${v.api_id}/${v.name}`,
        invoke_url: v.name === '$default' ? `${base}/` : `${base}/${v.name}`,
      };
    }
    default:
      return {};
  }
}

const HOSTED_ZONES = { 'us-east-1': 'Z3AQBSTGFYJSTF', 'eu-west-1': 'Z1BKCTXD74EZPE', 'eu-central-1': 'Z21DNDUVLTQW6Q', 'us-west-2': 'Z3BJ6K6RIION7M' };

const REGIONS = {
  'us-east-1': 'US East (N. Virginia)', 'us-east-2': 'US East (Ohio)', 'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'Europe (Ireland)', 'eu-central-1': 'Europe (Frankfurt)', 'eu-west-2': 'Europe (London)',
};

export function dataSourceComputed(type, v, { region, account }) {
  switch (type) {
    case 'aws_caller_identity':
      return { id: account, account_id: account, arn: `arn:aws:iam::${account}:user/terraform`, user_id: `AIDA${upper(17, 'user', account)}` };
    case 'aws_region': {
      const r = v.region ?? v.name ?? region;
      return { id: r, name: r, region: r, description: REGIONS[r] ?? r, endpoint: `ec2.${r}.amazonaws.com` };
    }
    case 'aws_partition':
      return { id: 'aws', partition: 'aws', dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws' };
    default:
      return {};
  }
}

/** A neutral value for a computed attribute nobody above knows about. */
export function neutral(type, seed) {
  if (type === 'string') return base36(12, seed);
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (type === 'dynamic') return null;
  const [kind] = type;
  if (kind === 'list' || kind === 'set' || kind === 'tuple') return [];
  if (kind === 'map') return {};
  return null;
}
