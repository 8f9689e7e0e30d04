// Parsing of the Terraform configuration with HashiCorp's HCL parser
// (@cdktf/hcl2json, a WebAssembly build of hcl2json). Blocks come back as
// arrays of objects; expressions stay as "${...}" strings.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { parse } = require('@cdktf/hcl2json');

export const TERRAFORM_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_DIR = resolve(TERRAFORM_DIR, '..');

/** Every `.tf` file under dir (recursively), skipping .terraform and the given sub-directories. */
export function tfFiles(dir, { skip = [] } = {}) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === '.terraform' || e.name === 'node_modules' || skip.includes(p)) continue;
      out.push(...tfFiles(p, { skip }));
    } else if (e.name.endsWith('.tf')) out.push(p);
  }
  return out.sort();
}

const cache = new Map();
export async function parseFile(file) {
  if (!cache.has(file)) cache.set(file, parse(file, readFileSync(file, 'utf8')));
  return cache.get(file);
}

/**
 * Load the `.tf` files of each directory as one module.
 * Returns { dir, rel, files, resources, data, variables, outputs, locals, modules, terraform, providers }
 * where resources/data are lists of { type, name, body, file }.
 */
export async function loadModule(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf')).sort().map((f) => join(dir, f));
  const mod = {
    dir, rel: relative(REPO_DIR, dir), files,
    resources: [], data: [], variables: {}, outputs: {}, locals: {}, modules: {}, terraform: [], providers: [],
  };
  // hcl2json answers concurrent calls much faster than sequential ones
  const parsed = await Promise.all(files.map((f) => parseFile(f)));
  for (const [i, file] of files.entries()) {
    const json = parsed[i];
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [name, bodies] of Object.entries(byName)) for (const body of bodies) mod.resources.push({ type, name, body, file });
    for (const [type, byName] of Object.entries(json.data ?? {}))
      for (const [name, bodies] of Object.entries(byName)) for (const body of bodies) mod.data.push({ type, name, body, file });
    for (const [name, bodies] of Object.entries(json.variable ?? {})) mod.variables[name] = { ...bodies[0], file };
    for (const [name, bodies] of Object.entries(json.output ?? {})) mod.outputs[name] = { ...bodies[0], file };
    for (const block of json.locals ?? []) Object.assign(mod.locals, block);
    for (const [name, bodies] of Object.entries(json.module ?? {})) mod.modules[name] = { ...bodies[0], file };
    for (const t of json.terraform ?? []) mod.terraform.push({ ...t, file });
    for (const [name, bodies] of Object.entries(json.provider ?? {})) for (const b of bodies) mod.providers.push({ name, body: b, file });
  }
  return mod;
}

/** Directories that directly contain `.tf` files. */
export function moduleDirs(root, { skip = [] } = {}) {
  return [...new Set(tfFiles(root, { skip }).map((f) => dirname(f)))].sort();
}

/** Load every module of the configuration (modules/* and envs/*), or of a fixture directory. */
export async function loadConfig(root = TERRAFORM_DIR) {
  const skip = [join(root, 'test')];
  const dirs = root === TERRAFORM_DIR ? moduleDirs(root, { skip }) : moduleDirs(root);
  const modules = await Promise.all(dirs.map((d) => loadModule(d)));
  return { root, modules, repoDir: REPO_DIR };
}

export const exists = (p) => existsSync(p) && statSync(p).isFile();

/** Every `<root>.<attr>` traversal appearing in an expression string, e.g. var.x, local.y, module.z.out. */
export function traversals(value, rootName) {
  const s = JSON.stringify(value);
  return [...s.matchAll(new RegExp(`(?<![A-Za-z0-9_.])${rootName}\\.([A-Za-z_][A-Za-z0-9_-]*)(?:\\.([A-Za-z_][A-Za-z0-9_-]*))?`, 'g'))].map((m) => ({ name: m[1], attr: m[2] }));
}
