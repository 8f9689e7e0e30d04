// Threats of docs/security.md checked on what Terraform applied: who may publish to the bus, and
// that every HTTP API route of every manifest reaches AWS with its authorizer and scopes.
import assert from 'node:assert/strict';
import { stateView, functionsOf, statements } from './state-view.mjs';

const AUTHORIZATION_TYPES = { jwt: 'JWT', iam: 'AWS_IAM' };

/** The facts, each a { name, check } that throws an AssertionError when the state breaks it. */
export function securityFacts(env, stateOf, manifests) {
  const { ofType, one } = stateView(env, stateOf);
  const facts = [];
  const fact = (name, check) => facts.push({ name, check });

  fact(`envs/${env} (applied, security): a function may put events on the bus only with its own service as source, and only publishers may`, () => {
    const bus = ofType('aws_cloudwatch_event_bus')[0].values.arn;
    for (const [svc, m] of Object.entries(manifests)) {
      const types = new Set((m.publishes ?? []).map((p) => p.type));
      for (const f of functionsOf(svc, m)) {
        const where = `${svc}/${f.name}`;
        const grants = statements(one(`${f.functionPrefix}aws_iam_role_policy.this`).values.policy).filter((st) => st.actions.some((a) => a.startsWith('events:')));
        if (types.size === 0) {
          assert.deepEqual(grants, [], `${where}: its service publishes nothing, so it may put no event`);
          continue;
        }
        // One role per function: a function of a publishing service that publishes nothing itself has no grant.
        assert.ok(grants.length <= 1, where);
        for (const grant of grants) {
          assert.deepEqual([grant.effect, grant.actions, grant.resources], ['Allow', ['events:PutEvents'], [bus]], where);
          assert.deepEqual(grant.conditions['StringEquals events:source'], [m.source], `${where} must be limited to source ${m.source}`);
          const detailTypes = grant.conditions['StringEquals events:detail-type'];
          assert.ok(detailTypes?.length > 0 && detailTypes.every((t) => types.has(t)), `${where} may put only its service's event types, not ${detailTypes}`);
        }
      }
    }
  });

  fact(`envs/${env} (applied, security): every route of every manifest HTTP API is applied with its authorizer and scopes`, () => {
    let routes = 0;
    for (const [svc, m] of Object.entries(manifests)) {
      for (const h of m.http ?? []) {
        assert.ok(h.authorization, `${svc}/${h.name} declares no authorization`);
        const prefix = functionsOf(svc, m).find((f) => f.spec === h).prefix;
        const applied = Object.fromEntries(ofType('aws_apigatewayv2_route', prefix).map((r) => [r.values.route_key, r.values]));
        assert.deepEqual(Object.keys(applied).sort(), [...h.routes].sort(), `${svc}/${h.name} routes`);
        for (const route of h.routes) {
          routes++;
          const r = applied[route];
          assert.equal(r.authorization_type, AUTHORIZATION_TYPES[h.authorization.type], `${svc} ${route}`);
          if (h.authorization.type === 'jwt') {
            assert.equal(r.authorizer_id, one(`${prefix}aws_apigatewayv2_authorizer.jwt[0]`).values.id, `${svc} ${route} uses the API's JWT authorizer`);
            assert.ok((r.authorization_scopes ?? []).length > 0, `${svc} ${route} has no scopes`);
            assert.deepEqual([...r.authorization_scopes].sort(), [...h.authorization.scopes[route]].sort(), `${svc} ${route} scopes`);
          }
        }
      }
    }
    assert.ok(routes > 0, 'no HTTP API route in the manifests');
  });
  return facts;
}
