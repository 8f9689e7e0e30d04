// Least privilege per function, on the role policies Terraform applied: each execution role grants
// what that function's manifest `access` block declares (docs/manifest.md), plus its trigger's
// own statements and the logs, traces and key every function needs, and nothing of the rest of
// its service.
import assert from 'node:assert/strict';
import { stateView, functionsOf, serviceAddress, statements } from './state-view.mjs';

// What every function's role holds (modules/function) and what its trigger's module adds.
const EVERY_FUNCTION_SIDS = ['WriteOwnLogs', 'WriteTraces', 'UsePlatformKey'];
const TRIGGER_SIDS = ['ConsumeOwnQueue', 'MovePoisonToOwnDlq', 'ReadTableStream', 'ListTableStreams', 'SendFailuresToDlq', 'ReadCreatedObjects'];
// What shared-lib's DynamoDbPersistenceStore calls on the idempotency table.
const IDEMPOTENCY_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const pascal = (s) => s.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

/** The facts, each a { name, check } that throws an AssertionError when the state breaks it. */
export function leastPrivilegeFacts(env, stateOf, manifests) {
  const { ofType, one } = stateView(env, stateOf);
  const facts = [];
  const fact = (name, check) => facts.push({ name, check });
  const claimCheckTypes = new Set(Object.values(manifests).flatMap((m) => (m.publishes ?? []).filter((p) => p.claim_check).map((p) => p.type)));
  const policyOf = (f) => statements(one(`${f.functionPrefix}aws_iam_role_policy.this`).values.policy);

  fact(`envs/${env} (applied, least privilege): every function has its own role, granting exactly its manifest access besides its trigger`, () => {
    const roles = new Set();
    for (const [svc, m] of Object.entries(manifests)) {
      for (const f of functionsOf(svc, m)) {
        const where = `${svc}/${f.name}`;
        roles.add(one(`${f.functionPrefix}aws_lambda_function.this`).values.role);
        const access = f.fn.access ?? {};
        const all = policyOf(f);
        const own = all.filter((st) => !EVERY_FUNCTION_SIDS.includes(st.sid) && !TRIGGER_SIDS.includes(st.sid));
        const want = [
          ...(f.consumer && (f.consumer.idempotency ?? 'records') === 'records' ? ['IdempotencyRecords'] : []),
          ...Object.keys(access.tables ?? {}).map((t) => `Table${pascal(t)}`),
          ...((access.publishes ?? []).length ? ['PublishOwnEventsOnly'] : []),
          ...((access.secrets ?? []).length ? ['ReadOwnSecrets'] : []),
          ...Object.keys(access.buckets ?? {}).map((b) => `Bucket${pascal(b)}Objects`),
          ...((access.publishes ?? []).some((t) => claimCheckTypes.has(t)) ? ['PutClaimChecks'] : []),
          ...((f.consumer?.on ?? []).some((t) => claimCheckTypes.has(t)) ? ['GetClaimChecks'] : []),
          ...(access.permissions ?? []).map((p) => p.sid),
        ];
        assert.deepEqual(own.map((st) => st.sid).sort(), want.sort(), where);
        assert.deepEqual(all.filter((st) => EVERY_FUNCTION_SIDS.includes(st.sid)).map((st) => st.sid).sort(), [...EVERY_FUNCTION_SIDS].sort(), where);
        for (const [table, actions] of Object.entries(access.tables ?? {})) {
          const st = own.find((s) => s.sid === `Table${pascal(table)}`);
          assert.deepEqual(st.resources, [one(`${serviceAddress(svc)}module.table["${table}"].aws_dynamodb_table.this`).values.arn], `${where}: table ${table}`);
          assert.deepEqual(st.actions, [...actions].sort(), `${where} on table ${table}`);
        }
        const idempotency = own.find((s) => s.sid === 'IdempotencyRecords');
        if (idempotency) {
          assert.deepEqual(idempotency.resources, [one(`${serviceAddress(svc)}module.idempotency_table.aws_dynamodb_table.this`).values.arn], `${where}: its service's idempotency table`);
          assert.deepEqual(idempotency.actions, IDEMPOTENCY_ACTIONS, `${where}: what the idempotency store calls`);
        }
        for (const st of all) for (const a of st.actions) assert.ok(!a.includes('*'), `${where}: wildcard action ${a}`);
        const publish = own.find((s) => s.sid === 'PublishOwnEventsOnly');
        if (publish) {
          assert.deepEqual(publish.actions, ['events:PutEvents'], where);
          assert.deepEqual(publish.resources, [ofType('aws_cloudwatch_event_bus')[0].values.arn], where);
          assert.deepEqual(publish.conditions, { 'StringEquals events:source': [m.source], 'StringEquals events:detail-type': [...access.publishes].sort() }, where);
        }
      }
    }
    assert.equal(roles.size, ofType('aws_lambda_function').length, 'one role per function');
  });

  fact(`envs/${env} (applied, least privilege): notifications may send e-mail from its SES identity, and no other function may`, () => {
    const grants = ofType('aws_iam_role_policy').flatMap((p) => statements(p.values.policy).filter((st) => st.actions.some((a) => a.startsWith('ses:'))).map((st) => [p.address, st]));
    assert.equal(grants.length, 1, grants.map(([a]) => a).join(', '));
    const [address, st] = grants[0];
    assert.match(address, /service\["notifications"\]\.module\.consumer\["notify-customer"\]/);
    assert.deepEqual(st.actions, ['ses:SendEmail']);
    assert.ok(st.resources.every((r) => r.startsWith('arn:aws:ses:')), `${address}: ${st.resources}`);
  });

  fact(`envs/${env} (applied, least privilege): the claim-check bucket has KMS, TLS-only and expiring objects, and grants only for opted-in event types`, () => {
    const p = 'module.platform.module.claim_check_bucket.';
    const bucket = one(`${p}aws_s3_bucket.this`).values;
    const sse = one(`${p}aws_s3_bucket_server_side_encryption_configuration.this`).values;
    assert.equal(sse.bucket, bucket.bucket);
    assert.equal(sse.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm, 'aws:kms');
    const policy = statements(one(`${p}aws_s3_bucket_policy.this`).values.policy);
    assert.ok(policy.some((s) => s.effect === 'Deny' && s.conditions['Bool aws:SecureTransport']?.includes('false')), 'the claim-check bucket denies requests without TLS');
    const lifecycle = one(`${p}aws_s3_bucket_lifecycle_configuration.this`).values;
    assert.deepEqual(lifecycle.rule.filter((r) => r.expiration?.length).map((r) => [r.status, r.expiration[0].days]), [['Enabled', 30]], 'claim checks expire after 30 days');
    const claimGrants = ofType('aws_iam_role_policy').flatMap((rp) => statements(rp.values.policy).filter((st) => /ClaimChecks$/.test(st.sid ?? '')));
    if (claimCheckTypes.size === 0) assert.deepEqual(claimGrants, []);
    for (const st of claimGrants) for (const r of st.resources) assert.ok(r.startsWith(`${bucket.arn}/claim-checks/`), `${st.sid}: ${r}`);
  });
  return facts;
}
