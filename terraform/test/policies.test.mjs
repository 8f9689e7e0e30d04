// Security and reliability policies: none may be violated by terraform/, and
// each must report its deliberately broken fixture (fixtures/broken-<id>/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, TERRAFORM_DIR } from './lib/hcl.mjs';
import { policies } from './lib/policies.mjs';

const FIXTURES = join(TERRAFORM_DIR, 'test', 'fixtures');
const config = await loadConfig();
// load every fixture at once (parsing concurrently is much faster)
const fixtureConfigs = Object.fromEntries(await Promise.all(policies.map(async (p) => {
  const dir = join(FIXTURES, `broken-${p.id}`);
  return [p.id, existsSync(dir) ? await loadConfig(dir) : null];
})));

test('there are at least 25 policies, with unique ids', () => {
  assert.ok(policies.length >= 25, `only ${policies.length} policies`);
  assert.equal(new Set(policies.map((p) => p.id)).size, policies.length);
});

test('the configuration has modules and environments to check', () => {
  const rels = config.modules.map((m) => m.rel);
  for (const r of ['terraform/envs/dev', 'terraform/envs/prod', 'terraform/modules/consumer', 'terraform/modules/service']) assert.ok(rels.includes(r), `${r} not loaded`);
});

for (const policy of policies) {
  test(`policy ${policy.id}: ${policy.title}`, () => {
    assert.deepEqual(policy.check(config), []);
  });

  test(`policy ${policy.id} bites on fixtures/broken-${policy.id}`, async () => {
    const dir = join(FIXTURES, `broken-${policy.id}`);
    assert.ok(existsSync(dir), `missing fixture ${dir}`);
    const violations = policy.check(fixtureConfigs[policy.id]);
    assert.ok(violations.length > 0, `policy ${policy.id} reported nothing on its broken fixture`);
  });
}

test('every fixture directory belongs to a policy or to another test', () => {
  const known = new Set([...policies.map((p) => `broken-${p.id}`), 'broken-terraform-validate', 'broken-wiring', 'yaml11-bare-on']);
  for (const d of readdirSync(FIXTURES)) assert.ok(known.has(d), `orphan fixture ${d}`);
});
