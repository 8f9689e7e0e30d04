// Checks across manifests, and what still runs on the older plan stand-in
// (lib/plan.mjs, a hand-written evaluator): the canary alias with a stable
// version and the dropped-manifest-key warnings. Everything Terraform itself
// establishes is asserted on its applied state (lib/applied-facts.mjs, run by
// terraform.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TERRAFORM_DIR, REPO_DIR } from './lib/hcl.mjs';
import { planEnv } from './lib/plan.mjs';
import { loadManifests, expectedWiring } from './lib/applied-facts.mjs';

const manifests = loadManifests(join(REPO_DIR, 'services'));
const want = expectedWiring(manifests);
const dev = await planEnv(join(TERRAFORM_DIR, 'envs', 'dev'));
const prod = await planEnv(join(TERRAFORM_DIR, 'envs', 'prod'));

const at = (plan, address) => plan.instances.find((i) => i.address === address);
const all = (plan, type, prefix = '') => plan.instances.filter((i) => i.type === type && i.address.startsWith(prefix));
// Every environment calls modules/platform; the platform's own modules live under it.
const PLATFORM = 'module.platform.';

// ----------------------------------------------------------- tests
test('manifests: every consumed event type is published by some service', () => {
  for (const { c, svc } of Object.values(want.consumers)) for (const t of c.on) assert.ok(want.publisherOf[t], `${svc}/${c.name} consumes ${t}, which no manifest publishes`);
});

test('manifests: service equals its directory; sources and event types are unique across services', () => {
  const sources = new Set(), types = new Set();
  for (const [dir, m] of Object.entries(manifests)) {
    assert.equal(m.service, dir, `services/${dir}/service.yaml names service ${m.service}`);
    assert.ok(!sources.has(m.source), `duplicate source ${m.source}`);
    sources.add(m.source);
    for (const p of m.publishes ?? []) { assert.ok(!types.has(p.type), `duplicate event type ${p.type}`); types.add(p.type); }
  }
});

test('manifests: visibility timeout >= 6 x function timeout, max_concurrency <= reserved concurrency', () => {
  for (const { c, svc } of Object.values(want.consumers)) {
    assert.ok(c.queue.visibility_timeout_seconds >= 6 * c.function.timeout_seconds, `${svc}/${c.name}`);
    if (c.batch.max_concurrency !== undefined) assert.ok(c.batch.max_concurrency <= c.function.reserved_concurrency, `${svc}/${c.name}`);
  }
});

test('envs: dev and prod plan without errors and without dropped manifest keys', () => {
  assert.deepEqual(dev.errors, []);
  assert.deepEqual(dev.warnings, []);
  assert.deepEqual(prod.errors, []);
  assert.deepEqual(prod.warnings, []);
});

test('envs: main.tf and variables.tf are identical in every environment; prod deploys by canary', async () => {
  for (const f of ['main.tf', 'variables.tf', 'versions.tf', 'outputs.tf']) assert.equal(readFileSync(join(TERRAFORM_DIR, 'envs/dev', f), 'utf8'), readFileSync(join(TERRAFORM_DIR, 'envs/prod', f), 'utf8'), f);
  const tfvars = readFileSync(join(TERRAFORM_DIR, 'envs/prod/terraform.tfvars'), 'utf8');
  assert.match(tfvars, /strategy\s*=\s*"canary"/);
  for (const e of ['dev', 'prod']) assert.match(readFileSync(join(TERRAFORM_DIR, `envs/${e}/backend.tf`), 'utf8'), /use_lockfile\s*=\s*true/);
});

test('deployments: every function alias moves all at once in dev and by a 10% canary in prod', async () => {
  const fns = (plan) => plan.modules.filter((m) => m.source === 'terraform/modules/function');
  assert.equal(fns(dev).length, all(dev, 'aws_lambda_function').length);
  for (const m of fns(dev)) assert.equal(m.vars.deployment.strategy, 'all-at-once', m.address);
  for (const m of fns(prod)) assert.deepEqual([m.vars.deployment.strategy, m.vars.deployment.canary_weight], ['canary', 0.1], m.address);
  // with a stable version, the alias keeps it and routes the canary weight to the new version
  const canary = await planEnv(join(TERRAFORM_DIR, 'envs', 'prod'), { extraVars: { stable_function_versions: { 'prod-payments-authorize-payment': '7' } } });
  assert.deepEqual(canary.errors, []);
  const fn = canary.modules.find((m) => m.address.endsWith('module.consumer["authorize-payment"].module.function'));
  assert.equal(fn.vars.deployment.stable_version, '7');
  const alias = at(canary, `${PLATFORM}module.service["payments"].module.consumer["authorize-payment"].module.function.aws_lambda_alias.this`);
  assert.equal(alias.attrs.name, 'live');
  assert.ok(alias.attrs.dynamic.routing_config, 'the alias has a routing_config for the canary');
});

test('broken manifests are reported: unknown event type, short visibility timeout, misspelt key, detail-type in filter', async () => {
  const fixture = join(TERRAFORM_DIR, 'test', 'fixtures', 'broken-wiring');
  const broken = await planEnv(join(TERRAFORM_DIR, 'envs', 'dev'), { pathRoot: join(fixture, 'x', 'y', 'z') });
  const problems = [...broken.errors, ...broken.warnings];
  const expect = [
    /module\.service\["alpha"\].*unsupported attribute "NobodyPublishesThis"/,
    /module\.service\["beta"\].*visibility_timeout_seconds must be >= 6 x/,
    /module\.service\["gamma"\].*attribute "visibility_timeout_seconds" is required/,
    /module\.service\["gamma"\].*attribute "visibility_timeout" is not declared/,
    /module\.service\["delta"\].*filter_json must be a JSON object that does not set detail-type/,
  ];
  for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `expected ${re} among:\n${problems.join('\n')}`);
});
