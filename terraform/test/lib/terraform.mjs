// Runs the real terraform binary offline: a copy of terraform/ (plus the manifests and function
// zips the environments read) under target/terraform, the AWS provider replaced by the offline
// provider (../offline-provider) through a filesystem mirror, no network, no credentials.
// The working tree never gets a .terraform/ directory or a lock file.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, chmodSync, readFileSync, renameSync } from 'node:fs';
import { join, dirname, relative as relativePath } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { TERRAFORM_DIR } from './hcl.mjs';

const run = promisify(execFile);
export const REPO = dirname(TERRAFORM_DIR);
export const BUILD = join(REPO, 'target', 'terraform');
const SERVICES_COPY = join(REPO, 'target', 'services');
const MIRROR = join(REPO, 'target', 'terraform-provider-mirror');
const CLI_CONFIG = join(REPO, 'target', 'terraform-offline.tfrc');
const FIXTURES_BUILD = join(REPO, 'target', 'terraform-fixtures');
const PROVIDER = join(TERRAFORM_DIR, 'test', 'offline-provider', 'provider.mjs');
export const PROVIDER_VERSION = '6.25.0';

/** null when terraform can run here, else the one line that says what is skipped and why. */
export function terraformMissing() {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    return null;
  } catch {
    return 'terraform not found on the PATH: skipping terraform fmt, validate, test, plan and apply and the checks on their output (install terraform >= 1.10 to run them)';
  }
}

function platform() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform];
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  return `${os}_${arch}`;
}

export const env = () => {
  const e = { ...process.env, TF_CLI_CONFIG_FILE: CLI_CONFIG, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  for (const k of ['TF_PLUGIN_CACHE_DIR', 'TF_DATA_DIR', 'TF_WORKSPACE', 'TF_LOG', 'TF_CLI_ARGS']) delete e[k];
  return e;
};

/** terraform <args> in dir; resolves { code, stdout, stderr } without throwing. */
export async function terraform(dir, args) {
  try {
    const { stdout, stderr } = await run('terraform', args, { cwd: dir, env: env(), maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(e.message) };
  }
}

/** The mirror with the offline provider as hashicorp/aws 6.25.0, and the CLI configuration that uses only it. */
export function installProvider() {
  const dir = join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', PROVIDER_VERSION, platform());
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, `terraform-provider-aws_v${PROVIDER_VERSION}`);
  writeAtomically(exe, `#!/bin/sh\nexec "${process.execPath}" "${PROVIDER}" "$@"\n`, 0o755);
  writeAtomically(CLI_CONFIG, `provider_installation {
  filesystem_mirror {
    path    = "${MIRROR}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`, 0o644);
}

/** Writes through a rename, so that a terraform another test file starts never reads a half-written file. */
function writeAtomically(path, text, mode) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/**
 * Copies terraform/ into target/terraform (without earlier .terraform/ directories, lock files
 * and state) and the services' manifests and function zips into target/services, where the
 * environments' services_dir points from the copy. Throws naming the missing zips.
 */
export function prepareCopy() {
  rmSync(BUILD, { recursive: true, force: true });
  rmSync(SERVICES_COPY, { recursive: true, force: true });
  cpSync(TERRAFORM_DIR, BUILD, { recursive: true, filter: (src) => !/[/\\](\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*|tfplan)$/.test(src) });
  const missing = [];
  for (const svc of readdirSync(join(REPO, 'services'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const manifest = join(REPO, 'services', svc, 'service.yaml');
    if (!existsSync(manifest)) continue;
    mkdirSync(join(SERVICES_COPY, svc, 'target'), { recursive: true });
    cpSync(manifest, join(SERVICES_COPY, svc, 'service.yaml'));
    // <svc>-function.zip or <svc>-function-without-<clients>.zip, one per set of SDK clients its
    // functions leave out (ADR 0107): the service module names the one each function runs from.
    const target = join(REPO, 'services', svc, 'target');
    const zips = existsSync(target) ? readdirSync(target).filter((f) => f.startsWith(`${svc}-function`) && f.endsWith('.zip')) : [];
    if (!zips.length) missing.push(`services/${svc}/target/${svc}-function*.zip`);
    for (const zip of zips) cpSync(join(target, zip), join(SERVICES_COPY, svc, 'target', zip));
  }
  if (missing.length) throw new Error(`the environments need the function zips (make package): missing ${missing.join(', ')}`);
  installProvider();
}

/** Runs fn over items with at most `limit` at a time. */
export async function parallel(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; results[i] = await fn(items[i], i); }
  }));
  return results;
}

export const moduleDirs = () => [
  ...readdirSync(join(BUILD, 'envs'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(BUILD, 'envs', d.name)),
  ...readdirSync(join(BUILD, 'modules'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(BUILD, 'modules', d.name)),
];

export const relative = (dir) => dir.slice(BUILD.length + 1);

/** init -backend=false then validate -json; resolves { dir, ok, diagnostics, output }. */
export async function validate(dir) {
  const init = await terraform(dir, ['init', '-backend=false', '-input=false', '-no-color']);
  if (init.code !== 0) return { dir, ok: false, diagnostics: [], output: init.stdout + init.stderr };
  const v = await terraform(dir, ['validate', '-json', '-no-color']);
  let parsed;
  try { parsed = JSON.parse(v.stdout); } catch { return { dir, ok: false, diagnostics: [], output: v.stdout + v.stderr }; }
  return { dir, ok: parsed.valid && parsed.error_count === 0, diagnostics: parsed.diagnostics, output: v.stdout + v.stderr };
}

export const describe = (d) => `${d.severity}: ${d.summary}${d.range ? ` (${d.range.filename}:${d.range.start.line})` : ''}${d.detail ? `: ${d.detail.split('\n')[0]}` : ''}`;

/**
 * Plans and applies envs/<env> of the copy into local state through the offline provider and
 * writes target/terraform/envs/<env>/plan.json and state.json (terraform show -json).
 */
export async function planAndApply(envName) {
  const dir = join(BUILD, 'envs', envName);
  writeFileSync(join(dir, 'backend_override.tf'), '# Written by the offline checks: state stays in this build copy.\nterraform {\n  backend "local" {}\n}\n');
  return planAndApplyDir(dir, `envs/${envName}`);
}

/** init, plan, apply of the root module in dir; writes and resolves its plan.json and state.json. */
async function planAndApplyDir(dir, label) {
  const steps = [
    ['init', '-input=false', '-no-color'],
    ['plan', '-input=false', '-no-color', '-out=tfplan'],
  ];
  for (const args of steps) {
    const r = await terraform(dir, args);
    if (r.code !== 0) throw new Error(`terraform ${args[0]} in ${label} failed:\n${r.stdout}${r.stderr}`);
  }
  const plan = await terraform(dir, ['show', '-json', 'tfplan']);
  if (plan.code !== 0) throw new Error(`terraform show tfplan in ${label} failed:\n${plan.stderr}`);
  writeFileSync(join(dir, 'plan.json'), plan.stdout);
  const apply = await terraform(dir, ['apply', '-input=false', '-no-color', '-auto-approve', 'tfplan']);
  if (apply.code !== 0) throw new Error(`terraform apply in ${label} failed:\n${apply.stdout}${apply.stderr}`);
  const state = await terraform(dir, ['show', '-json']);
  if (state.code !== 0) throw new Error(`terraform show in ${label} failed:\n${state.stderr}`);
  writeFileSync(join(dir, 'state.json'), state.stdout);
  return { plan: JSON.parse(plan.stdout), state: JSON.parse(state.stdout) };
}

/**
 * Plans and applies the given fixtures of terraform/test/fixtures through the offline provider,
 * each as a module named after its directory of one root module (one init and one plan for all),
 * in target/terraform-fixtures (apart from the environments' copy, which prepareCopy replaces).
 * Resolves the state (terraform show -json); a fixture's resources are under module.<name>.
 */
export async function applyFixtures(names) {
  rmSync(FIXTURES_BUILD, { recursive: true, force: true });
  const root = join(FIXTURES_BUILD, 'root');
  mkdirSync(root, { recursive: true });
  // all of them: a fixture may call a shared one (well-formed-function)
  cpSync(join(TERRAFORM_DIR, 'test', 'fixtures'), join(FIXTURES_BUILD, 'fixtures'), { recursive: true });
  installProvider();
  writeFileSync(join(root, 'main.tf'), `# Written by the offline checks: every plannable fixture, planned and applied together.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}
${names.map((n) => `
module "${n}" {
  source = "../fixtures/${n}"
}
`).join('')}`);
  return (await planAndApplyDir(root, 'the policy fixtures')).state;
}

/** Every resource of a plan's or state's values, child modules included. */
export function resources(values) {
  const out = [];
  const walk = (m) => { if (!m) return; out.push(...(m.resources ?? [])); (m.child_modules ?? []).forEach(walk); };
  walk(values?.root_module);
  return out;
}

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** terraform test in envs/<env> of the copy, with the test files of terraform/test/tftest. */
export async function runTftest(envName) {
  const dir = join(BUILD, 'envs', envName);
  // terraform test reads test files only from a directory inside the root module.
  cpSync(join(BUILD, 'test', 'tftest'), join(dir, 'tests'), { recursive: true });
  const init = await terraform(dir, ['init', '-backend=false', '-input=false', '-no-color']);
  if (init.code !== 0) return init;
  return terraform(dir, ['test', '-no-color']);
}

/**
 * How Terraform's own yamldecode reads each file (terraform console, no provider needed): the
 * decoded values, as JSON. Terraform follows YAML 1.1, so a bare `on` key comes back as "true".
 */
export function terraformYamldecode(files) {
  const dir = join(REPO, 'target', 'terraform-console');
  mkdirSync(dir, { recursive: true });
  // One expression: console reading from a pipe prints only the last result.
  const input = `jsonencode([for f in ${JSON.stringify(files)} : yamldecode(file(f))])\n`;
  const out = execFileSync('terraform', ['console', '-no-color'], { cwd: dir, env: env(), input, encoding: 'utf8' });
  // console prints the result as an HCL string literal: JSON escapes plus $${ and %%{.
  return JSON.parse(JSON.parse(out.trim().replaceAll('$${', '${').replaceAll('%%{', '%{')));
}

/**
 * Plans an environment like envs/dev against some services of a fixture (deliberately broken
 * manifests) and resolves Terraform's output. Terraform stops at the first invalid module input,
 * so each broken service is planned on its own: the services are copied to <fixture>-<service>/
 * services and the root module written at <fixture>-<service>/x/y/z, where the environments'
 * services_dir (path.root/../../../services) finds them. With `vars`, passes them as -var (and
 * plans into a directory of its own per `label`); with `json`, resolves the plan's JSON too.
 */
export async function planWithServices(fixtureDir, service, { vars = {}, label = '', json = false } = {}) {
  const base = `${fixtureDir}-${service}${label}`;
  cpSync(join(fixtureDir, 'services', service), join(base, 'services', service), { recursive: true });
  const root = envRootOver(base);
  const init = await terraform(root, ['init', '-input=false', '-no-color']);
  if (init.code !== 0) return init;
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  const plan = await terraform(root, ['plan', '-input=false', '-no-color', '-refresh=false', ...varArgs, ...(json ? ['-out=tfplan'] : [])]);
  if (plan.code !== 0 || !json) return plan;
  const show = await terraform(root, ['show', '-json', 'tfplan']);
  return { ...plan, json: show.code === 0 ? JSON.parse(show.stdout) : assert.fail(`terraform show tfplan failed:\n${show.stderr}`) };
}

/**
 * A root module like envs/dev (same main.tf, variables and tfvars) at <base>/x/y/z, where the
 * environments' services_dir (path.root/../../../services) is <base>/services. Resolves its path.
 */
function envRootOver(base) {
  const root = join(base, 'x', 'y', 'z');
  mkdirSync(root, { recursive: true });
  const dev = join(BUILD, 'envs', 'dev');
  for (const f of ['variables.tf', 'versions.tf', 'terraform.tfvars']) cpSync(join(dev, f), join(root, f));
  const toPlatform = relativePath(root, join(BUILD, 'modules', 'platform'));
  writeFileSync(join(root, 'main.tf'), readFileSync(join(dev, 'main.tf'), 'utf8').replace('"../../modules/platform"', `"${toPlatform}"`));
  return root;
}

/** Where applyServices writes the state of a set of services: what the local runtime's IAM enforces for them. */
export const servicesStatePath = (name) => join(REPO, 'target', `terraform-${name}`, 'state.json');

/**
 * Plans and applies, like envs/dev but with env = envName, the services of servicesDir (each
 * service.yaml with its schemas; the function zips, which only the code hash reads, are empty
 * placeholders, one for each set of SDK clients a function can leave out) through the offline provider. Writes target/terraform-<name>/state.json
 * (servicesStatePath): the roles the local runtime enforces for those services, e.g. the runbook
 * scenarios' test services (ops-cli/src/test/resources/services). Needs prepareCopy first.
 */
export async function applyServices(name, servicesDir, envName) {
  const base = join(REPO, 'target', `terraform-${name}`);
  rmSync(base, { recursive: true, force: true });
  for (const svc of readdirSync(servicesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    if (!existsSync(join(servicesDir, svc, 'service.yaml'))) continue;
    cpSync(join(servicesDir, svc), join(base, 'services', svc), { recursive: true });
    mkdirSync(join(base, 'services', svc, 'target'), { recursive: true });
    for (const without of ['', '-without-s3', '-without-eventbridge-sqs', '-without-eventbridge-s3-sqs']) {
      writeFileSync(join(base, 'services', svc, 'target', `${svc}-function${without}.zip`), '');
    }
  }
  const root = envRootOver(base);
  const tfvars = readFileSync(join(root, 'terraform.tfvars'), 'utf8');
  const renamed = tfvars.replace(/^env(\s*)= "dev"$/m, `env$1= "${envName}"`);
  if (renamed === tfvars) throw new Error('envs/dev/terraform.tfvars no longer sets env = "dev" on a line of its own');
  writeFileSync(join(root, 'terraform.tfvars'), renamed);
  const applied = await planAndApplyDir(root, `the ${name} services`);
  cpSync(join(root, 'state.json'), servicesStatePath(name));
  return applied;
}

/** Plans envs/<env> of the copy (after planAndApply) with extra -var values; resolves the plan JSON. */
export async function planWithVars(envName, vars) {
  const dir = join(BUILD, 'envs', envName);
  const args = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${JSON.stringify(v)}`]);
  const plan = await terraform(dir, ['plan', '-input=false', '-no-color', '-out=vars.tfplan', ...args]);
  if (plan.code !== 0) throw new Error(`terraform plan in envs/${envName} failed:\n${plan.stdout}${plan.stderr}`);
  const show = await terraform(dir, ['show', '-json', 'vars.tfplan']);
  if (show.code !== 0) throw new Error(`terraform show vars.tfplan in envs/${envName} failed:\n${show.stderr}`);
  return JSON.parse(show.stdout);
}
