// A `terraform validate` stand-in: checks resource and data blocks against the
// AWS provider 6.25.0 schema extracted into aws-provider-schema.json.
import { readFileSync } from 'node:fs';

export const SCHEMA = JSON.parse(readFileSync(new URL('../aws-provider-schema.json', import.meta.url), 'utf8'));
const META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
const isExpr = (v) => typeof v === 'string' && v.includes('${');
const isBlockValue = (v) => Array.isArray(v) && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));

function literalFits(type, v) {
  if (isExpr(v) || v === null) return true;
  switch (type) {
    case 'string': return ['string', 'number', 'boolean'].includes(typeof v);
    case 'number': return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
    case 'bool': return typeof v === 'boolean' || v === 'true' || v === 'false';
    case 'list(string)': case 'list(number)': return Array.isArray(v) && v.every((x) => isExpr(x) || ['string', 'number', 'boolean'].includes(typeof x));
    case 'map(string)': case 'map(number)': case 'map(bool)': return typeof v === 'object' && !Array.isArray(v);
    default: return true;
  }
}

/** Violations of one block body against a schema node ({arguments, blocks}). */
export function checkBody(node, body, path, { top = false } = {}) {
  const out = [];
  const dynamicNames = new Set(Object.keys(body.dynamic?.[0] ?? body.dynamic ?? {}));
  for (const [key, value] of Object.entries(body)) {
    if (top && META.has(key)) continue;
    if (key === 'dynamic') {
      const dyn = Array.isArray(value) ? Object.assign({}, ...value) : value;
      for (const [name, defs] of Object.entries(dyn)) {
        const b = node.blocks[name];
        if (!b) { out.push(`${path}: dynamic "${name}": no such block`); continue; }
        for (const d of defs) for (const content of d.content ?? []) out.push(...checkBody(b, content, `${path}.${name}`));
      }
      continue;
    }
    if (node.arguments[key]) {
      const a = node.arguments[key];
      if (isBlockValue(value) && !['any'].includes(a.type) && !a.type.startsWith('list(')) out.push(`${path}: "${key}" is an argument, written as a block`);
      else if (!literalFits(a.type, value)) out.push(`${path}: "${key}" expects ${a.type}, got ${JSON.stringify(value)}`);
      continue;
    }
    if (node.blocks[key]) {
      if (!isBlockValue(value)) { out.push(`${path}: "${key}" is a block, written as an argument`); continue; }
      if (!node.blocks[key].list && value.length > 1) out.push(`${path}: block "${key}" may appear once`);
      for (const v of value) out.push(...checkBody(node.blocks[key], v, `${path}.${key}`));
      continue;
    }
    out.push(`${path}: unsupported argument or block "${key}"`);
  }
  for (const [name, a] of Object.entries(node.arguments)) if (a.required && !(name in body)) out.push(`${path}: missing required argument "${name}"`);
  for (const [name, b] of Object.entries(node.blocks)) if (b.required && !(name in body) && !dynamicNames.has(name)) out.push(`${path}: missing required block "${name}"`);
  return out;
}

/** Violations of every resource and data block of a loaded configuration. */
export function validateConfig(config) {
  const out = [];
  for (const m of config.modules) {
    for (const [kind, list] of [['resource', m.resources], ['data', m.data]]) {
      for (const r of list) {
        const path = `${m.rel}: ${kind === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
        const node = SCHEMA[kind][r.type];
        if (!node) { out.push(`${path}: the provider has no ${kind} type "${r.type}"`); continue; }
        out.push(...checkBody(node, r.body, path, { top: true }));
      }
    }
  }
  return out;
}
