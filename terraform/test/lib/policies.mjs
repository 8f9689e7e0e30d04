// Policies on facts that exist only in the Terraform source: version pins, variable
// declarations, how code is hashed and that each resource passes its tags. Everything Terraform
// evaluates (encryption, policies, alarms, wiring) is checked on its output instead, by
// evaluated-policies.mjs. policies.test.mjs runs these on terraform/ (no violation allowed) and on
// a broken fixture per policy (must report).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const SCHEMA = JSON.parse(readFileSync(new URL('../aws-provider-schema.json', import.meta.url), 'utf8'));

const arr = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const where = (mod, r) => `${mod.rel}: ${r.kind === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
const of = (mod, type) => mod.resources.filter((r) => r.type === type);
const set = (v) => v !== undefined && v !== null && v !== '' && v !== '${null}';
const unwrap = (s) => (typeof s === 'string' ? s.replace(/^\$\{|\}$/g, '') : s);

// ---------------------------------------------------------------- policies
export const policies = [
  {
    id: 'code-hash',
    title: 'function code comes from a zip with source_code_hash = filebase64sha256 of the same file',
    check: (c) => c.modules.flatMap((m) => of(m, 'aws_lambda_function').filter((r) => {
      const f = unwrap(r.body.filename);
      return !set(r.body.filename) || String(r.body.source_code_hash) !== `\${filebase64sha256(${f})}`;
    }).map((r) => `${where(m, r)} must set filename and source_code_hash = filebase64sha256(<same path>)`)),
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
