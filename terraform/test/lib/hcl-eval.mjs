// A small evaluator for the HCL expression language, enough to evaluate our
// own locals, module arguments, for_each/count and validations the way
// Terraform would (a `terraform console` stand-in for the tests). Values that
// only exist after apply (resource attributes, module outputs, data sources)
// evaluate to Unknown, as in a plan.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

export class Unknown {
  /** `text`: for a template, its known parts with `${?}` where a value is only known after apply. */
  constructor(label, text) { this.label = label; this.text = text; }
  toString() { return `(known after apply: ${this.label})`; }
}
export const isUnknown = (v) => v instanceof Unknown;
const unknownObject = (label) => new Proxy({}, { get: (_, k) => (k === '__unknownObject' ? label : new Unknown(`${label}.${String(k)}`)) });
const isUnknownObject = (v) => v && typeof v === 'object' && v.__unknownObject;

// ------------------------------------------------------------------ lexer
const PUNCT = ['...', '==', '!=', '<=', '>=', '&&', '||', '=>', '[*]', '?', ':', '!', '+', '-', '*', '/', '%', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', '.'];

function lex(src) {
  const toks = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#' || (c === '/' && src[i + 1] === '/')) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i));
      toks.push({ t: 'num', v: Number(m[0]) }); i += m[0].length; continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
      toks.push({ t: 'id', v: m[0] }); i += m[0].length; continue;
    }
    if (c === '"') { const [parts, end] = lexString(src, i + 1); toks.push({ t: 'str', parts }); i = end; continue; }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw new Error(`unexpected character ${c} in ${src}`);
    toks.push({ t: 'p', v: p }); i += p.length;
  }
  return toks;
}

/** Template string body from position i (after the opening quote, or 0 for a bare template). Returns [parts, index after the closing quote]. */
function lexString(src, i, bare = false) {
  const parts = [];
  let lit = '';
  while (i < src.length) {
    const c = src[i];
    if (!bare && c === '"') { i++; break; }
    if (c === '\\' && !bare) {
      const n = src[i + 1];
      lit += n === 'n' ? '\n' : n === 't' ? '\t' : n === '"' ? '"' : n === '\\' ? '\\' : n;
      i += 2; continue;
    }
    if (c === '$' && src[i + 1] === '$' && src[i + 2] === '{') { lit += '${'; i += 3; continue; }
    if (c === '$' && src[i + 1] === '{') {
      let depth = 0, j = i + 1, inStr = false;
      for (; j < src.length; j++) {
        const d = src[j];
        if (inStr) { if (d === '\\') j++; else if (d === '"') inStr = false; continue; }
        if (d === '"') inStr = true;
        else if (d === '{') depth++;
        else if (d === '}' && --depth === 0) break;
      }
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ expr: src.slice(i + 2, j) });
      i = j + 1; continue;
    }
    lit += c; i++;
  }
  if (lit || parts.length === 0) parts.push(lit);
  return [parts, i];
}

// ------------------------------------------------------------------ parser
function parseExpr(src) {
  const toks = lex(src);
  let k = 0;
  const peek = (v) => toks[k] && toks[k].t === 'p' && toks[k].v === v;
  const peekId = (v) => toks[k] && toks[k].t === 'id' && toks[k].v === v;
  const eat = (v) => { if (!peek(v)) throw new Error(`expected ${v} at token ${k} of ${src}`); k++; };

  function expr() {
    const c = or();
    if (peek('?')) { k++; const a = expr(); eat(':'); const b = expr(); return { n: 'cond', c, a, b }; }
    return c;
  }
  const bin = (next, ops) => () => {
    let l = next();
    while (toks[k] && toks[k].t === 'p' && ops.includes(toks[k].v)) { const op = toks[k++].v; l = { n: 'bin', op, l, r: next() }; }
    return l;
  };
  const unary = () => {
    if (peek('!')) { k++; return { n: 'not', e: unary() }; }
    if (peek('-')) { k++; return { n: 'neg', e: unary() }; }
    return postfix();
  };
  const mul = bin(unary, ['*', '/', '%']);
  const add = bin(mul, ['+', '-']);
  const cmp = bin(add, ['<', '>', '<=', '>=']);
  const eq = bin(cmp, ['==', '!=']);
  const and = bin(eq, ['&&']);
  const or = bin(and, ['||']);

  function postfix() {
    let e = primary();
    for (;;) {
      if (peek('.') && toks[k + 1]?.t === 'id') { k++; e = { n: 'get', e, key: { n: 'lit', v: toks[k++].v } }; continue; }
      if (peek('.') && toks[k + 1]?.t === 'num') { k++; e = { n: 'get', e, key: { n: 'lit', v: toks[k++].v } }; continue; }
      if (peek('[*]') || (peek('.') && toks[k + 1]?.t === 'p' && toks[k + 1].v === '*')) {
        k += peek('[*]') ? 1 : 2;
        // traversals after a splat apply to every element
        const rest = [];
        for (;;) {
          if (peek('.') && toks[k + 1]?.t === 'id') { k++; rest.push({ n: 'lit', v: toks[k++].v }); continue; }
          if (peek('[') && toks[k + 1]?.t !== 'p') { k++; rest.push(expr()); eat(']'); continue; }
          break;
        }
        e = { n: 'splat', e, rest };
        continue;
      }
      if (peek('[')) { k++; const key = expr(); eat(']'); e = { n: 'get', e, key }; continue; }
      return e;
    }
  }

  function forExpr(close) {
    k++; // for
    const v1 = toks[k++].v;
    let v2 = null;
    if (peek(',')) { k++; v2 = toks[k++].v; }
    if (!peekId('in')) throw new Error(`expected in: ${src}`);
    k++;
    const coll = expr();
    eat(':');
    const a = expr();
    let b = null, group = false, cond = null;
    if (peek('=>')) { k++; b = expr(); if (peek('...')) { k++; group = true; } }
    if (peekId('if')) { k++; cond = expr(); }
    eat(close);
    return { n: 'for', obj: close === '}', v1, v2, coll, a, b, group, cond };
  }

  function primary() {
    const t = toks[k];
    if (!t) throw new Error(`unexpected end of ${src}`);
    if (t.t === 'num') { k++; return { n: 'lit', v: t.v }; }
    if (t.t === 'str') { k++; return { n: 'tpl', parts: t.parts.map((p) => (typeof p === 'string' ? p : parseExpr(p.expr))) }; }
    if (t.t === 'id') {
      k++;
      if (t.v === 'true') return { n: 'lit', v: true };
      if (t.v === 'false') return { n: 'lit', v: false };
      if (t.v === 'null') return { n: 'lit', v: null };
      if (peek('(')) {
        k++;
        const args = [];
        let expand = false;
        while (!peek(')')) { args.push(expr()); if (peek('...')) { k++; expand = true; } if (peek(',')) k++; }
        k++;
        return { n: 'call', f: t.v, args, expand };
      }
      return { n: 'var', name: t.v };
    }
    if (peek('(')) { k++; const e = expr(); eat(')'); return e; }
    if (peek('[')) {
      k++;
      if (peekId('for')) return forExpr(']');
      const items = [];
      while (!peek(']')) { items.push(expr()); if (peek(',')) k++; }
      k++;
      return { n: 'tuple', items };
    }
    if (peek('{')) {
      k++;
      if (peekId('for')) return forExpr('}');
      const items = [];
      while (!peek('}')) {
        let key;
        if (toks[k].t === 'id' && (toks[k + 1]?.v === '=' || toks[k + 1]?.v === ':')) key = { n: 'lit', v: toks[k++].v };
        else key = expr();
        if (peek('=') || peek(':')) k++; else throw new Error(`expected = in object: ${src}`);
        items.push([key, expr()]);
        if (peek(',')) k++;
      }
      k++;
      return { n: 'object', items };
    }
    throw new Error(`unexpected token ${JSON.stringify(t)} in ${src}`);
  }

  const e = expr();
  if (k !== toks.length) throw new Error(`trailing tokens in ${src}: ${JSON.stringify(toks.slice(k))}`);
  return e;
}

// ------------------------------------------------------------------ evaluation
const astCache = new Map();
const ast = (src) => { if (!astCache.has(src)) astCache.set(src, parseExpr(src)); return astCache.get(src); };

function truthy(v) { if (isUnknown(v)) return v; if (typeof v !== 'boolean') throw new Error(`not a bool: ${JSON.stringify(v)}`); return v; }
function str(v) {
  if (isUnknown(v)) return v;
  if (v === null || typeof v === 'object') throw new Error(`cannot interpolate ${JSON.stringify(v)}`);
  return String(v);
}
function deepEqual(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
const hasUnknown = (v) => isUnknown(v) || isUnknownObject(v) || (v && typeof v === 'object' && Object.values(v).some(hasUnknown));

function index(v, key, label) {
  if (isUnknown(v)) return new Unknown(`${v.label}[${key}]`);
  if (isUnknownObject(v)) return v[key];
  if (isUnknown(key)) return new Unknown(`${label}[?]`);
  if (v === null || v === undefined) throw new Error(`attempt to index null with ${key} (${label})`);
  if (Array.isArray(v)) { if (typeof key !== 'number' || key >= v.length) throw new Error(`index ${key} out of range`); return v[key]; }
  const r = v[key];
  if (r === undefined && !Object.prototype.hasOwnProperty.call(v, key)) throw new Error(`unsupported attribute "${key}" (${label})`);
  return r;
}

/** Evaluate the parsed expression `e` in scope `s` ({ var, local(name), each, count, path, refs(name) , fns }). */
function ev(e, s) {
  switch (e.n) {
    case 'lit': return e.v;
    case 'tpl': {
      if (e.parts.length === 1 && typeof e.parts[0] !== 'string') return ev(e.parts[0], s);
      const vals = e.parts.map((p) => (typeof p === 'string' ? p : str(ev(p, s))));
      const u = vals.find(isUnknown);
      return u ? new Unknown(`template with ${u.label}`, vals.map((v) => (isUnknown(v) ? '${?}' : v)).join('')) : vals.join('');
    }
    case 'var': return s.lookup(e.name);
    case 'get': {
      const v = ev(e.e, s);
      const key = ev(e.key, s);
      return index(v, key, describe(e));
    }
    case 'splat': {
      const v = ev(e.e, s);
      if (isUnknown(v)) return v;
      const list = v === null ? [] : Array.isArray(v) ? v : isUnknownObject(v) ? [v] : typeof v === 'object' && !e.fromList ? Object.values(v) : [v];
      return list.map((item) => e.rest.reduce((acc, key) => index(acc, ev(key, s), describe(e)), item));
    }
    case 'tuple': return e.items.map((x) => ev(x, s));
    case 'object': {
      const o = {};
      for (const [k, v] of e.items) { const key = ev(k, s); if (isUnknown(key)) return new Unknown('object with unknown key'); o[key] = ev(v, s); }
      return o;
    }
    case 'cond': { const c = truthy(ev(e.c, s)); if (isUnknown(c)) return c; return c ? ev(e.a, s) : ev(e.b, s); }
    case 'not': { const v = truthy(ev(e.e, s)); return isUnknown(v) ? v : !v; }
    case 'neg': { const v = ev(e.e, s); return isUnknown(v) ? v : -v; }
    case 'bin': {
      if (e.op === '&&' || e.op === '||') {
        const l = truthy(ev(e.l, s));
        if (!isUnknown(l) && e.op === '&&' && !l) return false;
        if (!isUnknown(l) && e.op === '||' && l) return true;
        const r = truthy(ev(e.r, s));
        if (isUnknown(l) || isUnknown(r)) return isUnknown(l) ? l : r;
        return r;
      }
      const l = ev(e.l, s), r = ev(e.r, s);
      if (e.op === '==' || e.op === '!=') {
        // null-ness of a value is known even when its attributes are not
        const known = (l === null || r === null) ? !isUnknown(l) && !isUnknown(r) : !hasUnknown(l) && !hasUnknown(r);
        if (!known) return new Unknown('comparison');
        return e.op === '==' ? deepEqual(l, r) : !deepEqual(l, r);
      }
      if (isUnknown(l) || isUnknown(r)) return isUnknown(l) ? l : r;
      const a = Number(l), b = Number(r);
      if (Number.isNaN(a) || Number.isNaN(b)) throw new Error(`arithmetic on non-numbers ${l} ${e.op} ${r}`);
      return { '+': a + b, '-': a - b, '*': a * b, '/': a / b, '%': a % b, '<': a < b, '>': a > b, '<=': a <= b, '>=': a >= b }[e.op];
    }
    case 'for': {
      const coll = ev(e.coll, s);
      if (isUnknown(coll)) return new Unknown(`for over ${coll.label}`);
      const entries = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : Object.entries(coll).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const out = e.obj ? {} : [];
      for (const [key, val] of entries) {
        const bind = e.v2 ? { [e.v1]: key, [e.v2]: val } : { [e.v1]: val };
        const inner = s.with(bind);
        if (e.cond) { const c = truthy(ev(e.cond, inner)); if (isUnknown(c)) return new Unknown('for with unknown condition'); if (!c) continue; }
        if (e.obj) {
          const k = ev(e.a, inner);
          if (isUnknown(k)) return new Unknown('for with unknown key');
          const v = ev(e.b, inner);
          if (e.group) (out[k] ??= []).push(v);
          else { if (k in out) throw new Error(`duplicate object key "${k}" in for expression`); out[k] = v; }
        } else out.push(ev(e.a, inner));
      }
      return out;
    }
    case 'call': {
      const f = FUNCTIONS[e.f];
      if (!f && e.f !== 'try' && e.f !== 'can') throw new Error(`unsupported function ${e.f}()`);
      if (e.f === 'try') { for (const a of e.args) { try { return ev(a, s); } catch { /* next */ } } throw new Error('try(): no argument evaluated'); }
      if (e.f === 'can') { try { const v = ev(e.args[0], s); return isUnknown(v) ? v : true; } catch { return false; } }
      let args = e.args.map((a) => ev(a, s));
      if (e.expand) { const last = args.pop(); if (isUnknown(last)) return last; args = [...args, ...(Array.isArray(last) ? last : Object.values(last))]; }
      if (!['merge', 'concat', 'jsonencode', 'length', 'keys', 'values', 'lookup', 'coalesce', 'compact', 'distinct', 'flatten', 'alltrue', 'anytrue', 'contains', 'tolist', 'toset', 'tomap'].includes(e.f) && args.some(isUnknown)) return new Unknown(`${e.f}()`);
      return f(s, ...args);
    }
    default: throw new Error(`cannot evaluate ${e.n}`);
  }
}
const describe = (e) => (e.n === 'var' ? e.name : e.n === 'get' ? `${describe(e.e)}.${e.key.n === 'lit' ? e.key.v : '[..]'}` : e.n);

const listish = (v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []);
const FUNCTIONS = {
  fileset: (s, dir, pattern) => {
    const re = new RegExp(`^${pattern.split('/').map((seg) => seg.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('/')}$`);
    const walk = (d, pre = '') => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n), `${pre}${n}/`) : [`${pre}${n}`]));
    return walk(resolve(dir)).filter((f) => re.test(f)).sort();
  },
  file: (s, p) => readFileSync(resolve(p), 'utf8'),
  dirname: (s, p) => dirname(p),
  basename: (s, p) => p.split('/').pop(),
  yamldecode: (s, text) => YAML.parse(text, { version: '1.1' }), // Terraform's yamldecode reads YAML 1.1
  jsonencode: (s, v) => (hasUnknown(v) ? new Unknown('jsonencode()') : JSON.stringify(v)),
  jsondecode: (s, t) => JSON.parse(t),
  merge: (s, ...objs) => {
    if (objs.some((o) => isUnknown(o) || isUnknownObject(o))) return new Unknown('merge()');
    return Object.assign({}, ...objs.filter((o) => o !== null));
  },
  concat: (s, ...ls) => (ls.some(isUnknown) ? new Unknown('concat()') : ls.flat(1)),
  length: (s, v) => (isUnknown(v) ? v : typeof v === 'string' ? [...v].length : listish(v).length),
  keys: (s, v) => (isUnknown(v) ? v : Object.keys(v).sort()),
  values: (s, v) => (isUnknown(v) ? v : Object.keys(v).sort().map((k) => v[k])),
  lookup: (s, m, k, d) => (isUnknown(m) ? m : k in m ? m[k] : d),
  distinct: (s, l) => (isUnknown(l) ? l : l.filter((v, i) => l.findIndex((w) => deepEqual(v, w)) === i)),
  flatten: (s, l) => (isUnknown(l) ? l : l.flat(Infinity)),
  contains: (s, l, v) => (isUnknown(l) || isUnknown(v) ? new Unknown('contains()') : listish(l).some((x) => deepEqual(x, v))),
  alltrue: (s, l) => (l.some(isUnknown) ? new Unknown('alltrue()') : l.every((x) => x === true)),
  anytrue: (s, l) => (l.some(isUnknown) ? new Unknown('anytrue()') : l.some((x) => x === true)),
  tolist: (s, l) => l, toset: (s, l) => (isUnknown(l) ? l : [...new Set(l)].sort()), tomap: (s, m) => m,
  coalesce: (s, ...a) => a.find((x) => x !== null && x !== ''),
  compact: (s, l) => (isUnknown(l) ? l : l.filter((x) => x !== null && x !== '')),
  upper: (s, v) => v.toUpperCase(), lower: (s, v) => v.toLowerCase(),
  title: (s, v) => v.replace(/\b[a-z]/g, (c) => c.toUpperCase()),
  replace: (s, v, a, b) => (a.length > 1 && a.startsWith('/') && a.endsWith('/') ? v.replace(new RegExp(a.slice(1, -1), 'g'), b) : v.split(a).join(b)),
  split: (s, sep, v) => v.split(sep),
  join: (s, sep, l) => l.join(sep),
  trimprefix: (s, v, p) => (v.startsWith(p) ? v.slice(p.length) : v),
  startswith: (s, v, p) => v.startsWith(p),
  regex: (s, re, v) => { const m = new RegExp(re).exec(v); if (!m) throw new Error(`regex ${re} did not match ${v}`); return m[0]; },
  min: (s, ...a) => Math.min(...a), max: (s, ...a) => Math.max(...a),
  sort: (s, l) => [...l].sort(),
  one: (s, l) => { if (isUnknown(l)) return l; if (l.length > 1) throw new Error('one(): more than one element'); return l.length ? l[0] : null; },
  filebase64sha256: (s, p) => new Unknown(`filebase64sha256(${p})`),
  md5: (s, v) => new Unknown('md5()'),
};

// ------------------------------------------------------------------ scopes
export function scope({ vars = {}, locals = {}, each = undefined, count = undefined, path = {}, refs = () => undefined }) {
  const localCache = new Map();
  const make = (bindings) => {
    const self = {
      lookup(name) {
        if (name in bindings) return bindings[name];
        if (name === 'var') return vars;
        if (name === 'each') { if (!each) throw new Error('each used outside for_each'); return each; }
        if (name === 'count') return count;
        if (name === 'path') return path;
        if (name === 'local') {
          return new Proxy({}, {
            get: (_, k) => {
              if (typeof k !== 'string' || k === '__unknownObject') return undefined;
              if (!(k in locals)) throw new Error(`undeclared local.${k}`);
              if (!localCache.has(k)) { localCache.set(k, new Unknown(`cycle at local.${k}`)); localCache.set(k, evaluate(locals[k], root)); }
              return localCache.get(k);
            },
            has: (_, k) => k in locals,
          });
        }
        const r = refs(name);
        if (r !== undefined) return r;
        throw new Error(`unknown name ${name}`);
      },
      with(b) { return make({ ...bindings, ...b }); },
    };
    return self;
  };
  const root = make({});
  return root;
}

/** Evaluate a value as hcl2json returns it: template strings, arrays and objects of them. */
export function evaluate(value, s) {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const [parts] = lexString(value, 0, true);
    return ev({ n: 'tpl', parts: parts.map((p) => (typeof p === 'string' ? p : ast(p.expr))) }, s);
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, s));
  // hcl2json writes an expression key `(local.x) = v` as the template key "${(local.x)}".
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.includes('${') ? evaluate(k, s) : k, evaluate(v, s)]));
  return value;
}

/** Every `<root>.<attr>` traversal appearing in an expression string, e.g. var.x, local.y, module.z.out. */
export function traversals(value, rootName) {
  const s = JSON.stringify(value);
  return [...s.matchAll(new RegExp(`(?<![A-Za-z0-9_.])${rootName}\\.([A-Za-z_][A-Za-z0-9_-]*)(?:\\.([A-Za-z_][A-Za-z0-9_-]*))?`, 'g'))].map((m) => ({ name: m[1], attr: m[2] }));
}

export { parseExpr, unknownObject };
