#!/usr/bin/env node
// Writes terraform/test/aws-provider-schema.json: for the resource and data
// source types our .tf files use, every argument (type, required) and nested
// block, as generated from the AWS provider 6.25.0 schema into the npm
// package @cdktf/provider-aws 21.22.1 (lib/<type>/index.d.ts).
//
//   node terraform/tools/extract-provider-schema.mjs [--from <dir with node_modules/@cdktf/provider-aws>]
//
// Without --from it installs the package (~37 MB) into a temporary directory.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
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
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `${PACKAGE}@${VERSION}`], { stdio: 'inherit' });
}
const lib = join(prefix, 'node_modules', PACKAGE, 'lib');
const pkg = JSON.parse(readFileSync(join(prefix, 'node_modules', PACKAGE, 'package.json'), 'utf8'));
if (pkg.version !== VERSION) throw new Error(`expected ${PACKAGE}@${VERSION}, found ${pkg.version}`);

// ---- the types our configuration uses (modules, envs and test fixtures)
const used = { resource: new Set(), data: new Set() };
for (const json of await Promise.all(tfFiles(TERRAFORM_DIR).map((f) => parseFile(f)))) {
  for (const t of Object.keys(json.resource ?? {})) used.resource.add(t);
  for (const t of Object.keys(json.data ?? {})) used.data.add(t);
}

// ---- index.d.ts -> interfaces -> schema
function interfaces(dts) {
  const out = {};
  for (const m of dts.matchAll(/export interface (\w+)(?: extends [\w.]+)? \{\n([\s\S]*?)\n\}/g)) {
    const props = {};
    const body = m[2];
    const re = /\{@link [^#}]+#(\w+) [^}]*\}(?:(?!\*\/)[\s\S])*\*\/\s*readonly (\w+)(\?)?: /g;
    let p;
    while ((p = re.exec(body))) {
      let i = re.lastIndex, type;
      if (body[i] === '{') {
        let depth = 0, j = i;
        for (; j < body.length; j++) { if (body[j] === '{') depth++; if (body[j] === '}' && --depth === 0) break; }
        type = body.slice(i, j + 1).replace(/\s+/g, ' ');
      } else {
        type = body.slice(i, body.indexOf(';', i));
      }
      props[p[1]] = { ts: type.trim(), required: !p[3] };
    }
    out[m[1]] = props;
  }
  return out;
}

function tfType(ts) {
  const t = ts.replace(/\s*\|\s*cdktf\.IResolvable/g, '').trim();
  if (t === 'string') return 'string';
  if (t === 'number') return 'number';
  if (t === 'boolean') return 'bool';
  if (t === 'string[]') return 'list(string)';
  if (t === 'number[]') return 'list(number)';
  if (/^\{ \[key: string\]: string; \}$/.test(t)) return 'map(string)';
  if (/^\{ \[key: string\]: number; \}$/.test(t)) return 'map(number)';
  if (/^\{ \[key: string\]: boolean/.test(t)) return 'map(bool)';
  return 'any';
}

function build(ifaces, name, seen = []) {
  const node = { arguments: {}, blocks: {} };
  for (const [arg, { ts, required }] of Object.entries(ifaces[name] ?? {})) {
    const bare = ts.replace(/\s*\|\s*cdktf\.IResolvable/g, '').trim();
    const m = /^(\w+)(\[\])?$/.exec(bare);
    if (m && ifaces[m[1]] && !seen.includes(m[1])) {
      node.blocks[arg] = { list: Boolean(m[2]), required, ...build(ifaces, m[1], [...seen, m[1]]) };
    } else {
      node.arguments[arg] = { type: tfType(ts), required };
    }
  }
  return node;
}

function schemaOf(kind, type) {
  const short = type.replace(/^aws_/, '').replace(/_/g, '-');
  const dir = join(lib, kind === 'data' ? `data-aws-${short}` : short);
  if (!existsSync(join(dir, 'index.d.ts'))) return null;
  const dts = readFileSync(join(dir, 'index.d.ts'), 'utf8');
  const cls = new RegExp(`static readonly tfResourceType = "${type}"`).test(dts);
  if (!cls) return null;
  const config = /export interface (\w+Config) extends cdktf\.TerraformMetaArguments/.exec(dts)[1];
  return build(interfaces(dts), config);
}

const out = {
  provider: 'registry.terraform.io/hashicorp/aws',
  provider_version: '6.25.0',
  generated_from: `${PACKAGE}@${VERSION} (lib/<type>/index.d.ts)`,
  generated_by: 'terraform/tools/extract-provider-schema.mjs',
  resource: {},
  data: {},
};
for (const kind of ['resource', 'data']) {
  for (const type of [...used[kind]].sort()) {
    const s = schemaOf(kind, type);
    if (s) out[kind][type] = s;
    else console.error(`note: ${kind} type ${type} does not exist in the provider (left out)`);
  }
}
writeFileSync(OUT, JSON.stringify(out, null, 1) + '\n');
console.error(`wrote ${OUT}: ${Object.keys(out.resource).length} resource types, ${Object.keys(out.data).length} data source types`);
if (temporary) rmSync(prefix, { recursive: true, force: true });
