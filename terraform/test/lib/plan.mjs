// A `terraform plan` stand-in for the wiring tests: instantiates an
// environment's module tree with the evaluator (variables converted to their
// declared types with optional() defaults, validations evaluated, for_each and
// count expanded, every argument evaluated) and lists the resource instances
// with their arguments. Unknown-after-apply values stay Unknown.
import { join, resolve } from 'node:path';
import { loadModule, parseFile } from './hcl.mjs';
import { scope, evaluate, parseExpr, isUnknown, unknownObject, Unknown } from './hcl-eval.mjs';

const unwrap = (t) => String(t).replace(/^\$\{/, '').replace(/\}$/, '');
const META = new Set(['source', 'for_each', 'count', 'depends_on', 'providers', 'lifecycle', 'provider']);

/** Convert a value to a Terraform type (AST of the type expression), applying optional() defaults. */
export function convert(type, value, path, problems) {
  if (isUnknown(value)) return value;
  if (type.n === 'var') {
    const t = type.name;
    if (t === 'any') return value;
    if (value === null || value === undefined) return null;
    if (t === 'string') { if (typeof value === 'object') problems.push(`${path}: string required, got ${JSON.stringify(value)}`); return typeof value === 'object' ? value : String(value); }
    if (t === 'number') { const n = Number(value); if (typeof value === 'object' || typeof value === 'boolean' || Number.isNaN(n)) { problems.push(`${path}: number required, got ${JSON.stringify(value)}`); return value; } return n; }
    if (t === 'bool') { if (value === true || value === 'true') return true; if (value === false || value === 'false') return false; problems.push(`${path}: bool required, got ${JSON.stringify(value)}`); return value; }
    throw new Error(`unknown type ${t}`);
  }
  if (type.n !== 'call') throw new Error(`unsupported type expression at ${path}`);
  if (value === null || value === undefined) return null;
  const [arg] = type.args;
  switch (type.f) {
    case 'list': case 'set':
      if (!Array.isArray(value)) { problems.push(`${path}: list required, got ${JSON.stringify(value)}`); return value; }
      return value.map((v, i) => convert(arg, v, `${path}[${i}]`, problems));
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) { problems.push(`${path}: map required`); return value; }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(arg, v, `${path}.${k}`, problems)]));
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) { problems.push(`${path}: object required, got ${JSON.stringify(value)}`); return value; }
      if (value.__unknownObject) return value;
      const out = {};
      const declared = new Set();
      for (const [k, t] of arg.items) {
        const name = k.v;
        declared.add(name);
        let attrType = t, optional = false, dflt = null;
        if (t.n === 'call' && t.f === 'optional') { attrType = t.args[0]; optional = true; dflt = t.args[1] ? evalConst(t.args[1]) : null; }
        if (value[name] === undefined || value[name] === null) {
          if (!optional && value[name] === undefined) problems.push(`${path}: attribute "${name}" is required`);
          out[name] = dflt === null ? null : convert(attrType, dflt, `${path}.${name}`, problems);
        } else out[name] = convert(attrType, value[name], `${path}.${name}`, problems);
      }
      for (const k of Object.keys(value)) if (!declared.has(k)) problems.push(`${path}: attribute "${k}" is not declared by the type (Terraform would drop it)`);
      return out;
    }
    case 'optional': return convert(arg, value, path, problems);
    default: throw new Error(`unsupported type ${type.f}() at ${path}`);
  }
}
function evalConst(node) {
  // optional() defaults are constant expressions: literals, [] and {} with literals
  return evaluate(`\${${printConst(node)}}`, scope({}));
}
function printConst(n) {
  switch (n.n) {
    case 'lit': return JSON.stringify(n.v);
    case 'tpl': return JSON.stringify(n.parts.join(''));
    case 'tuple': return `[${n.items.map(printConst).join(', ')}]`;
    case 'object': return `{${n.items.map(([k, v]) => `${JSON.stringify(k.v)} = ${printConst(v)}`).join(', ')}}`;
    case 'neg': return `-${printConst(n.e)}`;
    default: throw new Error('non-constant optional() default');
  }
}
const typeCache = new Map();
export function typeOf(variable) {
  const src = unwrap(variable.type ?? '${any}');
  if (!typeCache.has(src)) typeCache.set(src, parseExpr(src));
  return typeCache.get(src);
}

/** Read a .tfvars file (HCL attributes with literal values). */
export async function readTfvars(file) {
  const json = await parseFile(file);
  return evaluate(json, scope({}));
}

/**
 * Instantiate the module in `dir` with the given input values.
 * Returns { instances: [{address, type, name, attrs}], errors: [], warnings: [] }.
 */
export async function plan(dir, inputs, { address = '', pathRoot = dir, result = { instances: [], modules: [], errors: [], warnings: [] } } = {}) {
  const mod = await loadModule(dir);
  // ---- variables
  const vars = {};
  for (const k of Object.keys(inputs)) if (!mod.variables[k]) result.errors.push(`${(address || mod.rel + ' ').replace(/\.$/, '')}: unsupported argument "${k}" (no such variable)`);
  for (const [name, v] of Object.entries(mod.variables)) {
    const problems = [];
    let value = inputs[name];
    if (value === undefined) {
      if (!('default' in v)) { result.errors.push(`${(address || mod.rel + ' ').replace(/\.$/, '')}: missing required variable "${name}"`); value = new Unknown(`missing var.${name}`); }
      else value = evaluate(v.default, scope({}));
    }
    vars[name] = convert(typeOf(v), value, `${(address || mod.rel + ' ').replace(/\.$/, '')} var.${name}`, problems);
    for (const p of problems) (/would drop/.test(p) ? result.warnings : result.errors).push(p);
  }
  result.modules.push({ address: address.replace(/\.$/, ''), source: mod.rel, vars });
  // ---- references to resources, data sources and modules
  const instanceKeys = {};
  const refs = (name) => {
    if (name === 'module') {
      return new Proxy({}, {
        get: (_, m) => {
          if (typeof m !== 'string' || m === '__unknownObject') return undefined;
          const call = mod.modules[m];
          if (!call) throw new Error(`reference to undeclared module.${m}`);
          const keys = instanceKeys[m] ?? expansion(call, base, `module.${m}`);
          instanceKeys[m] = keys;
          return keys === null ? unknownObject(`module.${m}`) : Object.fromEntries(keys.map((k) => [k, unknownObject(`module.${m}[${k}]`)]));
        },
      });
    }
    if (name === 'data') {
      return new Proxy({}, { get: (_, t) => (typeof t !== 'string' || t === '__unknownObject' ? undefined : new Proxy({}, { get: (_, n) => {
        if (typeof n !== 'string' || n === '__unknownObject') return undefined;
        if (!mod.data.some((d) => d.type === t && d.name === n)) throw new Error(`reference to undeclared data.${t}.${n}`);
        return unknownObject(`data.${t}.${n}`);
      } })) });
    }
    if (name.startsWith('aws_')) {
      return new Proxy({}, { get: (_, n) => {
        if (typeof n !== 'string' || n === '__unknownObject') return undefined;
        const r = mod.resources.find((x) => x.type === name && x.name === n);
        if (!r) throw new Error(`reference to undeclared resource ${name}.${n}`);
        if (r.body.count !== undefined || r.body.for_each !== undefined) {
          const keys = expansion(r.body, base, `${name}.${n}`);
          if (keys === null || keys === undefined) return unknownObject(`${name}.${n}`);
          const inst = (k) => unknownObject(`${name}.${n}[${k}]`);
          return r.body.count !== undefined ? keys.map(inst) : Object.fromEntries(keys.map((k) => [k, inst(k)]));
        }
        return unknownObject(`${name}.${n}`);
      } });
    }
    return undefined;
  };
  const base = scope({ vars, locals: mod.locals, path: { root: pathRoot, module: dir }, refs });

  // ---- validations
  for (const [name, v] of Object.entries(mod.variables)) {
    for (const val of v.validation ?? []) {
      try {
        const ok = evaluate(val.condition, base);
        if (ok === false) result.errors.push(`${(address || mod.rel + ' ').replace(/\.$/, '')} var.${name}: ${val.error_message}`);
      } catch (e) { result.errors.push(`${(address || mod.rel + ' ').replace(/\.$/, '')} var.${name} validation: ${e.message}`); }
    }
  }

  // ---- resources
  for (const r of mod.resources) {
    const keys = expansion(r.body, base, `${address}${r.type}.${r.name}`, result);
    if (keys === undefined) continue;
    for (const k of keys ?? [null]) {
      const s = instanceScope(r.body, base, k);
      const addr = `${address}${r.type}.${r.name}${k === null ? '' : typeof k === 'number' ? `[${k}]` : `["${k}"]`}`;
      const attrs = {};
      for (const [a, v] of Object.entries(r.body)) {
        if (META.has(a)) continue;
        try { attrs[a] = evaluateBody({ [a]: v }, s)[a]; } catch (e) { result.errors.push(`${addr}.${a}: ${e.message}`); }
      }
      result.instances.push({ address: addr, type: r.type, name: r.name, key: k, module: address, attrs });
    }
  }
  // data sources: evaluate their arguments too (errors only)
  for (const d of mod.data) {
    const keys = expansion(d.body, base, `${address}data.${d.type}.${d.name}`, result);
    for (const k of keys ?? [null]) {
      const s = instanceScope(d.body, base, k);
      for (const [a, v] of Object.entries(d.body)) {
        if (META.has(a)) continue;
        try { evaluateBody({ [a]: v }, s); } catch (e) { result.errors.push(`${address}data.${d.type}.${d.name}.${a}: ${e.message}`); }
      }
    }
  }
  // outputs and locals must evaluate
  for (const [name, o] of Object.entries(mod.outputs)) { try { evaluate(o.value, base); } catch (e) { result.errors.push(`${(address || mod.rel + ' ').replace(/\.$/, '')} output.${name}: ${e.message}`); } }
  for (const name of Object.keys(mod.locals)) { try { base.lookup('local')[name]; } catch (e) { result.errors.push(`${(address || mod.rel + ' ').replace(/\.$/, '')} local.${name}: ${e.message}`); } }

  // ---- child modules
  for (const [name, call] of Object.entries(mod.modules)) {
    const keys = expansion(call, base, `${address}module.${name}`, result);
    if (keys === undefined) continue;
    for (const k of keys ?? [null]) {
      const s = instanceScope(call, base, k);
      const args = {};
      for (const [a, v] of Object.entries(call)) {
        if (META.has(a) || a === 'file') continue;
        try { args[a] = evaluate(v, s); } catch (e) { result.errors.push(`${address}module.${name}${k === null ? '' : `["${k}"]`}.${a}: ${e.message}`); args[a] = new Unknown('error'); }
      }
      const childAddr = `${address}module.${name}${k === null ? '' : typeof k === 'number' ? `[${k}]` : `["${k}"]`}.`;
      await plan(resolve(dir, call.source), args, { address: childAddr, pathRoot, result });
    }
  }
  return result;
}

/** Instance keys of a resource/module block: null for a single instance, a list for for_each/count, undefined when it failed. */
function expansion(body, s, addr, result) {
  try {
    if (body.for_each !== undefined) {
      const v = evaluate(body.for_each, s);
      if (isUnknown(v) || v?.__unknownObject) throw new Error('for_each value depends on values known only after apply');
      return Array.isArray(v) ? [...new Set(v)].sort() : Object.keys(v).sort();
    }
    if (body.count !== undefined) {
      const n = evaluate(body.count, s);
      if (isUnknown(n)) throw new Error('count depends on values known only after apply');
      return [...Array(n).keys()];
    }
    return null;
  } catch (e) {
    if (result) result.errors.push(`${addr}: ${e.message}`);
    else throw e;
    return undefined;
  }
}
function instanceScope(body, s, k) {
  if (k === null) return s;
  if (body.for_each !== undefined) {
    const coll = evaluate(body.for_each, s);
    return s.with({ each: { key: k, value: Array.isArray(coll) ? k : coll[k] } });
  }
  return s.with({ count: { index: k } });
}
function expandDynamic(dyn, s) {
  const out = {};
  for (const [name, defs] of Object.entries(dyn)) {
    out[name] = [];
    for (const d of defs) {
      const coll = evaluate(d.for_each, s);
      if (isUnknown(coll)) { out[name].push(coll); continue; }
      const entries = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : Object.entries(coll);
      const iterator = d.iterator ? evaluate(d.iterator, s) : name;
      for (const [key, value] of entries) out[name].push(evaluateBody(d.content[0], s.with({ [iterator]: { key, value } })));
    }
  }
  return out;
}

function evaluateBody(body, s) {
  const out = {};
  for (const [a, v] of Object.entries(body)) out[a] = a === 'dynamic' ? expandDynamic(v, s) : evaluate(v, s);
  return out;
}

/** Plan an environment directory with its terraform.tfvars. */
export async function planEnv(envDir, { pathRoot = envDir, extraVars = {} } = {}) {
  const tfvars = await readTfvars(join(envDir, 'terraform.tfvars'));
  return plan(envDir, { ...tfvars, ...extraVars }, { pathRoot });
}
