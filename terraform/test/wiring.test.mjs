// Checks across manifests, and the environments' files. What the Terraform makes
// of the manifests is asserted on Terraform's own plan and applied state
// (terraform.test.mjs, lib/applied-facts.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TERRAFORM_DIR, REPO_DIR } from './lib/hcl.mjs';
import { loadManifests, expectedWiring } from './lib/applied-facts.mjs';

const manifests = loadManifests(join(REPO_DIR, 'services'));
const want = expectedWiring(manifests);

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

test('envs: main.tf and variables.tf are identical in every environment; prod deploys by canary', async () => {
  for (const f of ['main.tf', 'variables.tf', 'versions.tf', 'outputs.tf']) assert.equal(readFileSync(join(TERRAFORM_DIR, 'envs/dev', f), 'utf8'), readFileSync(join(TERRAFORM_DIR, 'envs/prod', f), 'utf8'), f);
  const tfvars = readFileSync(join(TERRAFORM_DIR, 'envs/prod/terraform.tfvars'), 'utf8');
  assert.match(tfvars, /strategy\s*=\s*"canary"/);
  for (const e of ['dev', 'prod']) assert.match(readFileSync(join(TERRAFORM_DIR, `envs/${e}/backend.tf`), 'utf8'), /use_lockfile\s*=\s*true/);
});

