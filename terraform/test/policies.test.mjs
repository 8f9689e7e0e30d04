// Security and reliability policies: none may be violated by terraform/, and each must report
// its deliberately broken fixture (fixtures/broken-<id>/). The policies on what Terraform
// evaluates (lib/evaluated-policies.mjs) read the fixtures' state after a plan and apply through
// the offline provider, here; on the environments they run in terraform.test.mjs, after the apply
// that writes their state. The policies on source-only facts (lib/policies.mjs) read the HCL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, TERRAFORM_DIR, REPO_DIR } from './lib/hcl.mjs';
import { policies } from './lib/policies.mjs';
import { evaluatedPolicies, evaluate } from './lib/evaluated-policies.mjs';
import { terraformMissing, applyFixtures, resources } from './lib/terraform.mjs';

const FIXTURES = join(TERRAFORM_DIR, 'test', 'fixtures');
const config = await loadConfig();
// load every fixture at once (parsing concurrently is much faster)
const fixtureConfigs = Object.fromEntries(await Promise.all(policies.map(async (p) => {
  const dir = join(FIXTURES, `broken-${p.id}`);
  return [p.id, existsSync(dir) ? await loadConfig(dir) : null];
})));

test('there are at least 45 policies, with unique ids', () => {
  const ids = [...policies, ...evaluatedPolicies].map((p) => p.id);
  assert.ok(ids.length >= 45, `only ${ids.length} policies`);
  assert.equal(new Set(ids).size, ids.length);
});

test('the configuration has modules and environments to check', () => {
  const rels = config.modules.map((m) => m.rel);
  for (const r of ['terraform/envs/dev', 'terraform/envs/prod', 'terraform/modules/consumer', 'terraform/modules/service']) assert.ok(rels.includes(r), `${r} not loaded`);
});

for (const policy of policies) {
  test(`policy ${policy.id} (source): ${policy.title}`, () => {
    assert.deepEqual(policy.check(config), []);
  });

  test(`policy ${policy.id} (source) bites on fixtures/broken-${policy.id}`, () => {
    const dir = join(FIXTURES, `broken-${policy.id}`);
    assert.ok(existsSync(dir), `missing fixture ${dir}`);
    const violations = policy.check(fixtureConfigs[policy.id]);
    assert.ok(violations.length > 0, `policy ${policy.id} reported nothing on its broken fixture`);
  });
}

const missing = terraformMissing();
if (missing) {
  console.log(missing);
} else {
  const fixtures = evaluatedPolicies.map((p) => `broken-${p.id}`);
  for (const f of fixtures) assert.ok(existsSync(join(FIXTURES, f)), `missing fixture ${join(FIXTURES, f)}`);
  const applied = applyFixtures(fixtures);
  applied.catch(() => {}); // reported by each test below
  for (const policy of evaluatedPolicies) {
    test(`policy ${policy.id} (evaluated) bites on fixtures/broken-${policy.id}, planned and applied`, async () => {
      const own = resources((await applied).values).filter((r) => r.address.startsWith(`module.broken-${policy.id}.`));
      assert.ok(own.length > 0, `fixtures/broken-${policy.id} applied no resource`);
      const violations = evaluate(policy, own, REPO_DIR);
      assert.ok(violations.length > 0, `policy ${policy.id} reported nothing on its broken fixture`);
      // A fixture that breaks a policy in several ways names each resource it must be reported for.
      for (const [, address] of readFileSync(join(FIXTURES, `broken-${policy.id}`, 'main.tf'), 'utf8').matchAll(/^# Reported: (\S+)$/gm)) {
        assert.ok(violations.some((x) => x.startsWith(`module.broken-${policy.id}.${address}`)), `policy ${policy.id} did not report ${address}: ${violations.join('; ')}`);
      }
    });
  }
}

test('every fixture directory belongs to a policy or to another test', () => {
  const known = new Set([...policies, ...evaluatedPolicies].map((p) => `broken-${p.id}`).concat(['broken-terraform-validate', 'broken-wiring', 'yaml11-bare-on', 'otel-tracer', 'well-formed-function']));
  for (const d of readdirSync(FIXTURES)) assert.ok(known.has(d), `orphan fixture ${d}`);
});
