// The provider's answers to Terraform: the AWS provider 6.25.0 schema, no provider-side
// validation beyond what Terraform itself does with that schema, plans where computed
// attributes are unknown until apply and a new name replaces a resource (FORCE_NEW), and applies
// that fill them the way AWS would (values.mjs). Nothing leaves the machine.
import { decodeTyped, encode, UNKNOWN, isUnknown } from './msgpack.mjs';
import { SCHEMA, blockType, toProtoSchema, resourceSchema, dataSourceSchema } from './schema.mjs';
import { resourceComputed, dataSourceComputed, neutral } from './values.mjs';
import { renderPolicyDocument } from './policy-document.mjs';

const DEFAULT_ACCOUNT = '000000000000';
const ctx = { region: null, account: DEFAULT_ACCOUNT, defaultTags: {} };

const dv = (value, schema) => ({ msgpack: encode(value, blockType(schema.block)) });
const read = (dynamicValue, schema) => {
  const t = blockType(schema.block);
  if (dynamicValue?.msgpack?.length) return decodeTyped(dynamicValue.msgpack, t);
  if (dynamicValue?.json?.length) return JSON.parse(dynamicValue.json.toString('utf8'));
  return null;
};
const error = (summary, detail = '') => ({ severity: 'ERROR', summary, detail });

function unknownResource(kind, type) {
  const known = kind === 'resource' ? SCHEMA.all_resource_types : SCHEMA.all_data_source_types;
  return error(`Offline provider has no schema for ${kind} type ${type}`,
    known.includes(type) ? `${type} exists in the AWS provider 6.25.0 but is not in terraform/test/aws-provider-schema.json: run make tf-schema.`
      : `The AWS provider 6.25.0 has no ${kind} type ${type}.`);
}

export function getMetadata() {
  return {
    server_capabilities: { plan_destroy: true, get_provider_schema_optional: false, move_resource_state: false },
    diagnostics: [],
    data_sources: Object.keys(SCHEMA.data_source_schemas).map((type_name) => ({ type_name })),
    resources: Object.keys(SCHEMA.resource_schemas).map((type_name) => ({ type_name })),
    functions: [], ephemeral_resources: [], list_resources: [], actions: [],
  };
}

export function getProviderSchema() {
  const map = (o) => Object.fromEntries(Object.entries(o).map(([k, s]) => [k, toProtoSchema(s)]));
  return {
    provider: toProtoSchema(SCHEMA.provider_schema),
    resource_schemas: map(SCHEMA.resource_schemas),
    data_source_schemas: map(SCHEMA.data_source_schemas),
    functions: {}, ephemeral_resource_schemas: {}, list_resource_schemas: {}, action_schemas: {},
    diagnostics: [],
    provider_meta: { version: 0, block: { version: 0, attributes: [], block_types: [] } },
    server_capabilities: { plan_destroy: true, get_provider_schema_optional: false, move_resource_state: false },
  };
}

// Terraform checks arguments, types, required arguments and block counts against the schema
// itself; the real provider's own validators (value ranges, conflicting arguments) are not
// reproduced, so these answer with no diagnostics for every known type.
export const validateProviderConfig = () => ({ diagnostics: [] });
export const validateResourceConfig = (req) => ({ diagnostics: resourceSchema(req.type_name) ? [] : [unknownResource('resource', req.type_name)] });
export const validateDataResourceConfig = (req) => ({ diagnostics: dataSourceSchema(req.type_name) ? [] : [unknownResource('data source', req.type_name)] });

export function configureProvider(req) {
  const config = read(req.config, SCHEMA.provider_schema) ?? {};
  const region = config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region || isUnknown(region)) return { diagnostics: [error('Missing region', 'The AWS provider needs a region: set region in the provider block or AWS_REGION.')] };
  ctx.region = region;
  const allowed = config.allowed_account_ids ?? [];
  ctx.account = allowed.length === 1 ? allowed[0] : DEFAULT_ACCOUNT;
  ctx.defaultTags = config.default_tags?.[0]?.tags ?? {};
  return { diagnostics: [] };
}

// A function's code change publishes a new version: these then change with it.
const CHANGES_WITH_CODE = { aws_lambda_function: ['version', 'qualified_arn', 'qualified_invoke_arn', 'last_modified', 'code_sha256', 'source_code_size'] };

// Arguments the real provider cannot change in place (ForceNew): a new value replaces the resource.
// The names of the types this platform uses, and where a schedule lives.
const FORCE_NEW = {
  aws_scheduler_schedule: ['name', 'group_name'],
  aws_scheduler_schedule_group: ['name'],
  aws_sqs_queue: ['name', 'fifo_queue'],
  aws_sns_topic: ['name', 'fifo_topic'],
  aws_dynamodb_table: ['name'],
  aws_lambda_function: ['function_name'],
  aws_lambda_alias: ['function_name', 'name'],
  aws_iam_role: ['name'],
  aws_cloudwatch_log_group: ['name'],
  aws_cloudwatch_event_bus: ['name'],
  aws_cloudwatch_event_rule: ['name', 'event_bus_name'],
  aws_s3_bucket: ['bucket'],
  aws_kms_alias: ['name'],
};

/** The ForceNew arguments whose planned value differs from the applied one, as Terraform's attribute paths. */
function replacedBy(type, prior, planned) {
  if (!prior) return [];
  return (FORCE_NEW[type] ?? []).filter((a) => isUnknown(planned[a]) || JSON.stringify(planned[a] ?? null) !== JSON.stringify(prior[a] ?? null))
    .map((a) => ({ steps: [{ attribute_name: a }] }));
}

function planBlock(block, config, proposed, prior) {
  if (proposed === null || isUnknown(proposed)) return proposed;
  const out = { ...proposed };
  for (const a of block.attributes) {
    if (!a.computed) continue;
    const set = config?.[a.name] !== null && config?.[a.name] !== undefined;
    if (set) continue;
    if (prior && prior[a.name] !== null && prior[a.name] !== undefined) out[a.name] = prior[a.name];
    else out[a.name] = UNKNOWN;
  }
  for (const b of block.block_types) {
    const p = proposed[b.type_name];
    if (p === null || p === undefined || isUnknown(p)) continue;
    const c = config?.[b.type_name];
    const pr = prior?.[b.type_name];
    if (b.nesting === 'LIST' || b.nesting === 'SET') out[b.type_name] = p.map((x, i) => planBlock(b.block, c?.[i], x, pr?.[i]));
    else if (b.nesting === 'MAP') out[b.type_name] = Object.fromEntries(Object.entries(p).map(([k, x]) => [k, planBlock(b.block, c?.[k], x, pr?.[k])]));
    else out[b.type_name] = planBlock(b.block, c, p, pr);
  }
  return out;
}

export function planResourceChange(req) {
  const schema = resourceSchema(req.type_name);
  if (!schema) return { diagnostics: [unknownResource('resource', req.type_name)] };
  const proposed = read(req.proposed_new_state, schema);
  if (proposed === null) return { planned_state: req.proposed_new_state, diagnostics: [] };
  const prior = read(req.prior_state, schema);
  const config = read(req.config, schema);
  const planned = planBlock(schema.block, config, proposed, prior);
  const names = new Set(schema.block.attributes.map((a) => a.name));
  // Values the real provider knows at plan time: its region and the merged default tags.
  if (names.has('region') && (planned.region === null || isUnknown(planned.region))) planned.region = ctx.region;
  if (names.has('tags_all')) planned.tags_all = isUnknown(planned.tags) ? UNKNOWN : { ...ctx.defaultTags, ...(planned.tags ?? {}) };
  if (prior && CHANGES_WITH_CODE[req.type_name] && planned.source_code_hash !== prior.source_code_hash && planned.publish) {
    for (const n of CHANGES_WITH_CODE[req.type_name]) if (config?.[n] == null) planned[n] = UNKNOWN;
  }
  return { planned_state: dv(planned, schema), requires_replace: replacedBy(req.type_name, prior, planned), planned_private: req.prior_private ?? Buffer.alloc(0), diagnostics: [], legacy_type_system: false };
}

function fill(block, value, known, seed) {
  if (value === null || value === undefined) return value;
  const out = { ...value };
  for (const a of block.attributes) {
    if (!isUnknown(out[a.name])) continue;
    out[a.name] = known[a.name] !== undefined ? known[a.name] : neutral(a.type, `${seed}/${a.name}`);
  }
  for (const b of block.block_types) {
    const v = out[b.type_name];
    if (v === null || v === undefined) continue;
    if (b.nesting === 'LIST' || b.nesting === 'SET') out[b.type_name] = v.map((x, i) => fill(b.block, x, {}, `${seed}/${b.type_name}/${i}`));
    else if (b.nesting === 'MAP') out[b.type_name] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(b.block, x, {}, `${seed}/${b.type_name}/${k}`)]));
    else out[b.type_name] = fill(b.block, v, {}, `${seed}/${b.type_name}`);
  }
  return out;
}

export function applyResourceChange(req) {
  const schema = resourceSchema(req.type_name);
  if (!schema) return { diagnostics: [unknownResource('resource', req.type_name)] };
  const planned = read(req.planned_state, schema);
  if (planned === null) return { new_state: req.planned_state, private: Buffer.alloc(0), diagnostics: [] };
  const known = resourceComputed(req.type_name, planned, ctx);
  const state = fill(schema.block, planned, known, `${req.type_name}/${JSON.stringify(known.id ?? planned.name ?? '')}`);
  return { new_state: dv(state, schema), private: req.planned_private ?? Buffer.alloc(0), diagnostics: [], legacy_type_system: false };
}

export function readResource(req) {
  return { new_state: req.current_state, private: req.private ?? Buffer.alloc(0), diagnostics: [] };
}

export function upgradeResourceState(req) {
  const schema = resourceSchema(req.type_name);
  if (!schema) return { diagnostics: [unknownResource('resource', req.type_name)] };
  const json = req.raw_state?.json?.length ? JSON.parse(req.raw_state.json.toString('utf8')) : null;
  return { upgraded_state: dv(json, schema), diagnostics: [] };
}

export function importResourceState(req) {
  const schema = resourceSchema(req.type_name);
  if (!schema) return { diagnostics: [unknownResource('resource', req.type_name)] };
  return { imported_resources: [{ type_name: req.type_name, state: dv({ id: req.id }, schema), private: Buffer.alloc(0) }], diagnostics: [] };
}

export function readDataSource(req) {
  const schema = dataSourceSchema(req.type_name);
  if (!schema) return { diagnostics: [unknownResource('data source', req.type_name)] };
  const config = read(req.config, schema);
  const known = req.type_name === 'aws_iam_policy_document'
    ? (() => { const d = renderPolicyDocument(config); return { ...d, id: String(hashCode(d.json)) }; })()
    : dataSourceComputed(req.type_name, config, ctx);
  const state = { ...config };
  for (const a of schema.block.attributes) {
    if (a.computed && (state[a.name] === null || state[a.name] === undefined || isUnknown(state[a.name]))) state[a.name] = known[a.name] ?? neutral(a.type, `${req.type_name}/${a.name}`);
  }
  return { state: dv(state, schema), diagnostics: [] };
}

// The provider's id for a policy document: crc32 of the JSON, as create.StringHashcode does.
function hashCode(s) {
  let c, crc = 0xffffffff;
  for (const byte of Buffer.from(s, 'utf8')) {
    c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export const getFunctions = () => ({ functions: {}, diagnostics: [] });
export const stopProvider = () => ({ Error: '' });
