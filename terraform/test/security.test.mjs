// Threats of docs/security.md checked on the evaluated plan of dev: who may publish to the bus, and
// that every HTTP API route of every manifest reaches Terraform with its authorizer and scopes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { TERRAFORM_DIR, REPO_DIR } from './lib/hcl.mjs';
import { planEnv } from './lib/plan.mjs';
import { isUnknown } from './lib/hcl-eval.mjs';

const YAML = createRequire(import.meta.url)('yaml');
const servicesDir = join(REPO_DIR, 'services');
const manifests = Object.fromEntries(readdirSync(servicesDir).filter((d) => existsSync(join(servicesDir, d, 'service.yaml'))).sort()
  .map((d) => [d, YAML.parse(readFileSync(join(servicesDir, d, 'service.yaml'), 'utf8'))]));
const dev = await planEnv(join(TERRAFORM_DIR, 'envs', 'dev'));
const svcAddr = (svc) => `module.platform.module.service["${svc}"].`;
const text = (v) => (isUnknown(v) ? v.text ?? v.label : String(v));

test('a function may put events on the bus only with its own service as source, and only publishers may', () => {
  for (const [svc, m] of Object.entries(manifests)) {
    const functions = dev.modules.filter((mod) => mod.address.startsWith(svcAddr(svc)) && mod.address.endsWith('module.function'));
    assert.ok(functions.length > 0, svc);
    for (const fn of functions) {
      const grants = fn.vars.policy_statements.filter((st) => st.actions.some((a) => a.startsWith('events:')));
      if ((m.publishes ?? []).length === 0) {
        assert.deepEqual(grants, [], `${fn.address} publishes nothing and may put no event`);
        continue;
      }
      // One role per function: a function of a publishing service that publishes nothing itself has no grant.
      assert.ok(grants.length <= 1, fn.address);
      for (const grant of grants) {
        assert.deepEqual(grant.actions, ['events:PutEvents']);
        const conditions = Object.fromEntries(grant.conditions.map((c) => [`${c.test} ${c.variable}`, c.values.map(text)]));
        assert.deepEqual(conditions['StringEquals events:source'], [m.source], `${fn.address} must be limited to source ${m.source}`);
        const types = new Set((m.publishes ?? []).map((p) => p.type));
        const detailTypes = conditions['StringEquals events:detail-type'];
        assert.ok(detailTypes && detailTypes.every((t) => types.has(t)), `${fn.address} may put only its service's event types`);
      }
    }
  }
});

test('every route of every manifest HTTP API is planned with its authorization type and scopes', () => {
  let routes = 0;
  for (const [svc, m] of Object.entries(manifests)) {
    for (const h of m.http ?? []) {
      const api = dev.modules.find((mod) => mod.address === `${svcAddr(svc)}module.http_api["${h.name}"]`);
      assert.ok(api, `${svc}/${h.name} has no http_api module`);
      assert.ok(h.authorization, `${svc}/${h.name} declares no authorization`);
      assert.equal(api.vars.authorization.type, h.authorization.type);
      for (const route of h.routes) {
        routes++;
        if (h.authorization.type === 'jwt') assert.ok((api.vars.authorization.scopes[route] ?? []).length > 0, `${svc} ${route} has no scopes`);
      }
    }
  }
  assert.ok(routes > 0, 'no HTTP API route in the manifests');
});
