#!/usr/bin/env node
// Writes terraform/test/aws-provider-schema.json: the AWS provider 6.25.0 schema, in the shape of
// Terraform's plugin protocol (attributes with type/required/optional/computed, nested blocks with
// nesting mode and min/max items), for the provider configuration and for the resource and data
// source types our .tf files use, plus the names of every type the provider has. Source: the npm
// package @cdktf/provider-aws 21.22.1, generated from that provider version: lib/<type>/index.d.ts
// says which arguments are required; lib/<type>/index.js says attribute types (list vs set),
// blocks and their nesting, single-object blocks (max 1) and computed-only attributes.
//
//   node terraform/tools/extract-provider-schema.mjs [--from <dir with node_modules/@cdktf/provider-aws>]
//
// Without --from it installs the package (~37 MB download) into a temporary directory.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { TERRAFORM_DIR, tfFiles, parseFile } from '../test/lib/hcl.mjs';

const PACKAGE = '@cdktf/provider-aws';
const VERSION = '21.22.1';
const OUT = join(TERRAFORM_DIR, 'test', 'aws-provider-schema.json');

const fromIdx = process.argv.indexOf('--from');
let prefix = fromIdx > 0 ? process.argv[fromIdx + 1] : null;
let temporary = false;
if (!prefix) {
  prefix = mkdtempSync(join(tmpdir(), 'provider-aws-'));
  temporary = true;
  console.error(`installing ${PACKAGE}@${VERSION} into ${prefix} ...`);
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', prefix, `${PACKAGE}@${VERSION}`], { stdio: 'inherit' });
}
const pkgDir = existsSync(join(prefix, 'node_modules', PACKAGE)) ? join(prefix, 'node_modules', PACKAGE) : prefix;
const lib = join(pkgDir, 'lib');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.version !== VERSION) throw new Error(`expected ${PACKAGE}@${VERSION}, found ${pkg.version}`);

// ---- the types our configuration uses (modules, envs and test fixtures)
const used = { resource: new Set(), data: new Set() };
for (const json of await Promise.all(tfFiles(TERRAFORM_DIR).map((f) => parseFile(f)))) {
  for (const t of Object.keys(json.resource ?? {})) used.resource.add(t);
  for (const t of Object.keys(json.data ?? {})) used.data.add(t);
}

// ---- index.d.ts: interface -> { tf_name: { required } }
function interfaces(dts) {
  const out = {};
  for (const m of dts.matchAll(/export interface (\w+)(?: extends [\w.]+)? \{\n([\s\S]*?)\n\}/g)) {
    const props = {};
    const re = /\{@link [^#}]+#(\w+) [^}]*\}(?:(?!\*\/)[\s\S])*\*\/\s*readonly (\w+)(\?)?: /g;
    let p;
    while ((p = re.exec(m[2]))) props[p[1]] = { required: !p[3] };
    out[m[1]] = props;
  }
  return out;
}

// ---- index.js: the HCL attribute tables and the classes' getters
function hclTables(js) {
  // "<fn>ToHclTerraform(struct) { const attrs = {...} }" and the main class's synthesizeHclAttributes()
  const tables = {};
  const entry = /^ {8,12}(\w+): \{\n\s+value: ([^\n]*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",/gm;
  const starts = [...js.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{|^ {4}synthesizeHclAttributes\(\) \{/gm)];
  starts.forEach((s, i) => {
    const body = js.slice(s.index, i + 1 < starts.length ? starts[i + 1].index : js.length);
    const end = body.indexOf('// remove undefined attributes');
    const attrs = {};
    for (const e of (end > 0 ? body.slice(0, end) : body).matchAll(entry)) {
      attrs[e[1]] = { value: e[2], isBlock: e[3] === 'true', type: e[4], storage: e[5] };
    }
    tables[s[1] ? s[1][0].toUpperCase() + s[1].slice(1) : '__main__'] = attrs;
  });
  return tables;
}

function classes(js) {
  const out = {};
  const starts = [...js.matchAll(/^class (\w+) extends cdktf\.(\w+) \{/gm)];
  starts.forEach((s, i) => {
    const body = js.slice(s.index, i + 1 < starts.length ? starts[i + 1].index : js.length);
    const computed = {};
    for (const g of body.matchAll(/\/\/ (\w+) - computed: true, optional: false, required: false\n\s+get (\w+)\(\) \{\n\s+return ([^\n]*);/g)) {
      computed[g[1]] = g[3];
    }
    const fields = {};
    for (const f of body.matchAll(/this\._(\w+) = new (\w+)\(this, "(\w+)"(?:, (true|false))?\);/g)) {
      fields[f[3]] = { cls: f[2], wrapsSet: f[4] === 'true' };
    }
    out[s[1]] = { base: s[2], computed, fields };
  });
  return out;
}

const SIMPLE = { string: 'string', number: 'number', boolean: 'bool', any: 'dynamic' };
function attrType({ type, storage }) {
  if (type === 'simple') return SIMPLE[storage] ?? 'dynamic';
  const m = /^(string|number|boolean|any)(List|Map)?(List|Map)?$/.exec(storage);
  if (!m) return 'dynamic';
  let t = SIMPLE[m[1]];
  if (m[3]) t = [m[3] === 'List' ? 'list' : 'map', t];
  if (m[2]) t = [type === 'set' ? 'set' : type === 'map' ? 'map' : 'list', t];
  return t;
}

function computedType(expr, cls, all, seen) {
  const g = /this\.get(\w+)Attribute\('(\w+)'\)/.exec(expr);
  if (g) {
    const set = /cdktf\.Fn\.tolist\(/.test(expr);
    switch (g[1]) {
      case 'String': return 'string';
      case 'Number': return 'number';
      case 'Boolean': return 'bool';
      case 'List': return [set ? 'set' : 'list', 'string'];
      case 'NumberList': return [set ? 'set' : 'list', 'number'];
      case 'StringMap': return ['map', 'string'];
      case 'NumberMap': return ['map', 'number'];
      case 'BooleanMap': return ['map', 'bool'];
      default: return 'dynamic';
    }
  }
  const f = /this\._(\w+)/.exec(expr);
  const field = f && cls.fields[Object.keys(cls.fields).find((k) => camel(k) === f[1])];
  if (field) {
    const target = field.cls.replace(/(List|Map|OutputReference)$/, 'OutputReference');
    const ref = all[target];
    if (!ref || seen.includes(target)) return 'dynamic';
    const obj = {};
    for (const [name, e] of Object.entries(ref.computed)) obj[name] = computedType(e, ref, all, [...seen, target]);
    const o = ['object', obj];
    if (field.cls.endsWith('List')) return [field.wrapsSet ? 'set' : 'list', o];
    if (field.cls.endsWith('Map')) return ['map', o];
    return o;
  }
  return 'dynamic';
}
const camel = (s) => s.replace(/_(\w)/g, (_, c) => c.toUpperCase());

function schemaOf(dir, tfType) {
  const dts = readFileSync(join(dir, 'index.d.ts'), 'utf8');
  const js = readFileSync(join(dir, 'index.js'), 'utf8');
  if (!new RegExp(`static readonly tfResourceType = "${tfType}"`).test(dts)) return null;
  const ifaces = interfaces(dts);
  const tables = hclTables(js);
  const cls = classes(js);
  const config = /export interface (\w+Config) extends cdktf\.(?:TerraformMetaArguments|TerraformProviderConfig)|export interface (AwsProviderConfig) \{/.exec(dts);
  const configName = config[1] ?? config[2];
  const mainClass = Object.entries(cls).find(([, c]) => /^Terraform(Resource|DataSource|Provider)$/.test(c.base))[0];

  // block(structName, table, classDef): tfplugin6-shaped block
  const block = (ifaceName, table, classDef, seen) => {
    const req = ifaces[ifaceName] ?? {};
    const attributes = [];
    const blockTypes = [];
    for (const [name, a] of Object.entries(table)) {
      const required = Boolean(req[name]?.required);
      if (!a.isBlock) {
        // Optional+computed cannot be told from optional in the generated code; the provider's
        // universal ones (id, tags_all, region) are marked computed, the rest plan as optional.
        const computed = !required && ['id', 'tags_all', 'region'].includes(name);
        attributes.push({ name, type: attrType(a), required, optional: !required, computed });
        continue;
      }
      const struct = a.storage.replace(/List$|Map$/, '');
      if (seen.includes(struct)) continue;
      const nestedTable = tables[struct] ?? {};
      const nested = block(struct, nestedTable, cls[`${struct}OutputReference`], [...seen, struct]);
      let nesting, min = 0, max = 0;
      if (a.type === 'struct') nesting = 'SINGLE';
      else if (a.type === 'map') nesting = 'MAP';
      else {
        nesting = a.type === 'set' ? 'SET' : 'LIST';
        if (required) min = 1;
        if (!/listMapperHcl\(/.test(a.value)) max = 1;
      }
      blockTypes.push({ type_name: name, nesting, min_items: min, max_items: max, block: nested });
    }
    for (const [name, expr] of Object.entries(classDef?.computed ?? {})) {
      if (attributes.some((x) => x.name === name)) continue;
      attributes.push({ name, type: computedType(expr, classDef, cls, []), required: false, optional: false, computed: true });
    }
    attributes.sort((x, y) => x.name.localeCompare(y.name));
    blockTypes.sort((x, y) => x.type_name.localeCompare(y.type_name));
    return { attributes, block_types: blockTypes };
  };
  return { version: 0, block: block(configName, tables.__main__ ?? {}, cls[mainClass], []) };
}

const dirs = readdirSync(lib, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const typeOfDir = (d) => {
  const m = /static readonly tfResourceType = "(\w+)"/.exec(readFileSync(join(lib, d, 'index.d.ts'), 'utf8'));
  return m?.[1];
};
const allTypes = { resource: [], data: [] };
const dirOf = { resource: {}, data: {} };
for (const d of dirs) {
  if (d === 'provider' || !existsSync(join(lib, d, 'index.d.ts'))) continue;
  const t = typeOfDir(d);
  if (!t) continue;
  const kind = d.startsWith('data-aws-') ? 'data' : 'resource';
  allTypes[kind].push(t);
  dirOf[kind][t] = join(lib, d);
}

const out = {
  provider: 'registry.terraform.io/hashicorp/aws',
  provider_version: '6.25.0',
  generated_from: `${PACKAGE}@${VERSION} (lib/<type>/index.d.ts and index.js)`,
  generated_by: 'terraform/tools/extract-provider-schema.mjs (make tf-schema)',
  provider_schema: schemaOf(join(lib, 'provider'), 'aws'),
  resource_schemas: {},
  data_source_schemas: {},
  all_resource_types: allTypes.resource.sort(),
  all_data_source_types: allTypes.data.sort(),
};
for (const [kind, key] of [['resource', 'resource_schemas'], ['data', 'data_source_schemas']]) {
  for (const type of [...used[kind]].sort()) {
    if (!dirOf[kind][type]) { console.error(`note: ${kind} type ${type} does not exist in the provider (left out)`); continue; }
    out[key][type] = schemaOf(dirOf[kind][type], type);
  }
}
writeFileSync(OUT, JSON.stringify(out) + '\n');
console.error(`wrote ${OUT}: ${Object.keys(out.resource_schemas).length} resource types, ${Object.keys(out.data_source_schemas).length} data source types`);
if (temporary) rmSync(prefix, { recursive: true, force: true });
