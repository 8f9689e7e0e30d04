// Least privilege per function: each execution role grants what that function's manifest `access`
// block declares (docs/manifest.md), plus its trigger's own statements, and nothing of the rest of
// its service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { TERRAFORM_DIR, REPO_DIR } from './lib/hcl.mjs';
import { planEnv } from './lib/plan.mjs';
import { isUnknown } from './lib/hcl-eval.mjs';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

const manifests = Object.fromEntries(readdirSync(join(REPO_DIR, 'services')).filter((d) => existsSync(join(REPO_DIR, 'services', d, 'service.yaml')))
  .map((d) => [d, YAML.parse(readFileSync(join(REPO_DIR, 'services', d, 'service.yaml'), 'utf8'))]));
const dev = await planEnv(join(TERRAFORM_DIR, 'envs', 'dev'));
const TRIGGER_SIDS = new Set(['ConsumeOwnQueue', 'MovePoisonToOwnDlq', 'ReadTableStream', 'ListTableStreams', 'SendFailedBatchesToDlq', 'ReadCreatedObjects', 'SendFailedEventsToDlq']);
const text = (v) => (isUnknown(v) ? v.text ?? v.label : String(v));

function functionsOf(svc, m) {
  const at = (kind, name, suffix = '') => dev.modules.find((mod) => mod.address === `module.platform.module.service["${svc}"].module.${kind}["${name}"].module.function${suffix}`);
  return [
    ...(m.consumers ?? []).map((c) => ({ name: c.name, consumer: c, fn: c.function, mod: at('consumer', c.name) })),
    ...(m.http ?? []).map((h) => ({ name: h.name, fn: h.function, mod: at('http_api', h.name) })),
    ...(m.streams ?? []).map((s) => ({ name: s.name, fn: s.function, mod: at('stream_relay', s.name) })),
    ...(m.schedules ?? []).map((s) => ({ name: s.name, fn: s.function, mod: at('scheduled_job', s.name) })),
    ...(m.buckets ?? []).filter((b) => b.handler).map((b) => ({ name: b.name, fn: b.function, mod: at('bucket', b.name, '[0]') })),
  ];
}

test('every function has its own role, granting exactly its manifest access besides its trigger', () => {
  for (const [svc, m] of Object.entries(manifests)) {
    for (const { name, consumer, fn, mod } of functionsOf(svc, m)) {
      assert.ok(mod, `${svc}/${name}: no function module planned`);
      const access = fn.access ?? {};
      const own = mod.vars.policy_statements.filter((st) => !TRIGGER_SIDS.has(st.sid));
      const want = [
        ...(consumer ? ['IdempotencyRecords'] : []),
        ...Object.keys(access.tables ?? {}).map((t) => `Table${t.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`),
        ...((access.publishes ?? []).length ? ['PublishOwnEventsOnly'] : []),
        ...((access.secrets ?? []).length ? ['ReadOwnSecrets'] : []),
        ...Object.keys(access.buckets ?? {}).map((b) => `Bucket${b.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Objects`),
        ...(access.permissions ?? []).map((p) => p.sid),
      ];
      assert.deepEqual(own.map((st) => st.sid).sort(), want.sort(), `${svc}/${name}`);
      for (const [table, actions] of Object.entries(access.tables ?? {})) {
        const st = own.find((s) => s.resources.some((r) => text(r) === `module.table[${table}].table_arn`));
        assert.deepEqual(st.actions, actions, `${svc}/${name} on table ${table}`);
      }
      for (const st of mod.vars.policy_statements) for (const a of st.actions) assert.ok(!a.includes('*'), `${svc}/${name}: wildcard action ${a}`);
      const publish = own.find((s) => s.sid === 'PublishOwnEventsOnly');
      if (publish) {
        assert.deepEqual(publish.conditions.map((c) => [c.test, c.variable, c.values]),
          [['StringEquals', 'events:source', [m.source]], ['StringEquals', 'events:detail-type', access.publishes]], `${svc}/${name}`);
      }
    }
  }
});

test('notifications may send e-mail from its SES identity, and no other function may', () => {
  const grants = dev.modules.filter((mod) => mod.address.endsWith('.module.function') || mod.address.endsWith('.module.function[0]'))
    .flatMap((mod) => mod.vars.policy_statements.filter((st) => st.actions.some((a) => a.startsWith('ses:'))).map((st) => [mod.address, st]));
  assert.equal(grants.length, 1, grants.map(([a]) => a).join(', '));
  const [address, st] = grants[0];
  assert.match(address, /service\["notifications"\]\.module\.consumer\["notify-customer"\]/);
  assert.deepEqual(st.actions, ['ses:SendEmail']);
});

test('the claim-check bucket: KMS, TLS-only, expiring objects, and no grant while no event type opts in', () => {
  const p = 'module.platform.module.claim_check_bucket.';
  const at = (a) => dev.instances.find((i) => i.address === `${p}${a}`);
  assert.ok(at('aws_s3_bucket_server_side_encryption_configuration.this'));
  assert.ok(at('aws_s3_bucket_policy.this'));
  const lifecycle = at('aws_s3_bucket_lifecycle_configuration.this');
  assert.deepEqual(lifecycle.attrs.dynamic.rule.map((r) => r.expiration?.[0]?.days), [30]);
  const optedIn = Object.values(manifests).flatMap((m) => (m.publishes ?? []).filter((x) => x.claim_check).map((x) => x.type));
  const claimGrants = dev.modules.flatMap((mod) => (mod.vars.policy_statements ?? []).filter((st) => /ClaimChecks$/.test(st.sid ?? '')));
  if (optedIn.length === 0) assert.deepEqual(claimGrants, []);
});
