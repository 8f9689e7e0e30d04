// The real terraform binary, offline (lib/terraform.mjs, offline-provider/): fmt, validate of
// every environment and module, the broken fixture validate must reject, and a plan and apply of
// each environment through the offline provider whose JSON (target/terraform/envs/<env>/plan.json,
// state.json) the applied facts and the evaluated policies read, registered here after the apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  terraformMissing, prepareCopy, terraform, validate, moduleDirs, relative, describe, parallel, planAndApply, resources, runTftest, terraformYamldecode, planWithServices, planWithVars, applyServices, servicesStatePath, BUILD, REPO,
} from './lib/terraform.mjs';
import { registerAppliedFacts, appliedFacts } from './lib/applied-facts.mjs';
import { evaluatedPolicies, evaluate } from './lib/evaluated-policies.mjs';
import { readdirSync, existsSync, readFileSync, writeFileSync, mkdirSync, cpSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';

const YAML = createRequire(import.meta.url)('yaml');

const missing = terraformMissing();
if (missing) {
  console.log(missing);
} else {
  prepareCopy();
  const FIXTURE = join(BUILD, 'test', 'fixtures', 'broken-terraform-validate');
  const validations = parallel([...moduleDirs(), FIXTURE], 3, validate);
  const byDir = validations.then((rs) => Object.fromEntries(rs.map((r) => [r.dir, r])));

  test("every manifest means the same to Terraform's yamldecode (YAML 1.1) as to Java and these checks (YAML 1.2); a bare on key does not", () => {
    const services = readdirSync(join(REPO, 'services')).map((d) => join(REPO, 'services', d, 'service.yaml')).filter(existsSync);
    const bare = join(FIXTURE, '..', 'yaml11-bare-on', 'service.yaml');
    const read = terraformYamldecode([...services, bare]);
    services.forEach((f, i) => assert.deepEqual(read[i], YAML.parse(readFileSync(f, 'utf8')), `${f} reads differently in Terraform`));
    assert.notDeepEqual(read.at(-1), YAML.parse(readFileSync(bare, 'utf8')));
    assert.deepEqual(Object.keys(read.at(-1).consumers[0]).sort(), ['name', 'true'], 'Terraform reads a bare on as the boolean true');
  });

  test('terraform fmt -check -recursive: every .tf file is formatted', async () => {
    const r = await terraform(BUILD, ['fmt', '-check', '-recursive', '-no-color']);
    assert.equal(r.code, 0, `terraform fmt would rewrite (run terraform fmt -recursive terraform/):\n${r.stdout}${r.stderr}`);
  });

  for (const dir of moduleDirs()) {
    test(`terraform validate: ${relative(dir)}`, async () => {
      const r = (await byDir)[dir];
      assert.ok(r.ok, `${relative(dir)} is not valid:\n${r.diagnostics.map(describe).join('\n') || r.output}`);
    });
  }

  test('terraform validate rejects fixtures/broken-terraform-validate, naming each error', async () => {
    const r = (await byDir)[FIXTURE];
    assert.equal(r.ok, false);
    const found = r.diagnostics.map((d) => `${d.summary} | ${d.detail} | ${d.snippet?.context ?? ''} | ${d.address ?? ''} | ${d.range?.start.line}`);
    const expect = [
      [/^Unsupported argument \|.*"visibilty_timeout_seconds"/, 'misspelt argument'],
      [/^Invalid resource type \|.*aws_sqs_queues/, 'unknown resource type'],
      [/^Missing required argument \|.*"protocol" is required/, 'missing required argument'],
      [/^Incorrect attribute value type \|.*delay_seconds.*number required/, 'wrong type'],
      [/^Too many tracing_config blocks \|/, 'wrong block count'],
      [/^Unsupported attribute \|.*"queue_arn"/, 'reference to an attribute that does not exist'],
    ];
    for (const [re, what] of expect) assert.ok(found.some((f) => re.test(f)), `expected the ${what} to be reported (${re}), got:\n${found.join('\n')}`);
  });

  const states = {};
  const one = (state, address) => resources(state.values).find((r) => r.address === address) ?? assert.fail(`${address} is not in the state`);
  for (const env of ['dev', 'prod']) {
    test(`terraform test envs/${env}: mocked plan and apply (tftest/*.tftest.hcl)`, async () => {
      const r = await runTftest(env);
      assert.equal(r.code, 0, `terraform test failed in envs/${env}:\n${r.stdout}${r.stderr}`);
    });

    test(`terraform plan and apply envs/${env} through the offline provider: plan.json and state.json`, async () => {
      const { plan, state } = await planAndApply(env);
      states[env] = state;
      const planned = resources(plan.planned_values).filter((r) => r.mode === 'managed');
      const applied = resources(state.values).filter((r) => r.mode === 'managed');
      console.log(`envs/${env}: ${planned.length} resources planned, ${applied.length} applied`);
      assert.ok(planned.length > 100, `only ${planned.length} resources planned`);
      assert.deepEqual(applied.map((r) => r.address).sort(), planned.map((r) => r.address).sort());
      assert.deepEqual(plan.resource_changes.filter((c) => c.mode === 'managed' && !c.change.actions.includes('create')).map((c) => c.address), []);
      for (const q of applied.filter((r) => r.type === 'aws_sqs_queue')) {
        assert.match(q.values.arn, new RegExp(`^arn:aws:sqs:${q.values.region}:\\d{12}:${q.values.name}$`));
        assert.equal(q.values.url, `https://sqs.${q.values.region}.amazonaws.com/${q.values.arn.split(':')[4]}/${q.values.name}`);
      }
      for (const f of applied.filter((r) => r.type === 'aws_lambda_function')) {
        assert.match(f.values.invoke_arn, /^arn:aws:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/arn:aws:lambda:.*\/invocations$/);
        assert.ok(f.values.source_code_size > 0, `${f.address}: the zip was not read`);
      }
    });

    registerAppliedFacts(env, () => states[env] ?? assert.fail(`envs/${env} was not applied`));
    for (const policy of evaluatedPolicies) {
      test(`policy ${policy.id} (evaluated) on envs/${env}: ${policy.title}`, () => {
        const state = states[env] ?? assert.fail(`envs/${env} was not applied`);
        assert.deepEqual(evaluate(policy, resources(state.values), REPO), []);
      });
    }
  }

  // The moved blocks of the bucket and scheduled-job modules: an environment applied while each kept
  // its event invoke config itself plans the config as moved into the function module, not replaced.
  test('an event invoke config applied at its old address (bucket, scheduled-job) moves into the function module: no replacement', async () => {
    const state = states.dev ?? assert.fail('envs/dev was not applied');
    const configs = resources(state.values).filter((r) => r.type === 'aws_lambda_function_event_invoke_config').map((r) => r.address);
    assert.ok(configs.length >= 2, `only ${configs.length} event invoke configs applied`);
    const old = (address) => address.replace(/module\.function(\[0\])?\.aws_lambda_function_event_invoke_config\.this\[0\]$/,
      (_, index) => `aws_lambda_function_event_invoke_config.this${index ?? ''}`);
    const dir = join(BUILD, 'envs', 'dev-moved');
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(BUILD, 'envs', 'dev'), dir, { recursive: true });
    for (const address of configs) {
      assert.notEqual(old(address), address, `${address} is not in a function module`);
      const mv = await terraform(dir, ['state', 'mv', '-no-color', address, old(address)]);
      assert.equal(mv.code, 0, `terraform state mv ${address}:\n${mv.stdout}${mv.stderr}`);
    }
    const plan = await terraform(dir, ['plan', '-input=false', '-no-color', '-out=tfplan']);
    assert.equal(plan.code, 0, `terraform plan failed:\n${plan.stdout}${plan.stderr}`);
    const shown = await terraform(dir, ['show', '-json', 'tfplan']);
    const changes = JSON.parse(shown.stdout).resource_changes.filter((c) => c.mode === 'managed');
    assert.deepEqual(changes.filter((c) => c.type === 'aws_lambda_function_event_invoke_config')
      .map((c) => [c.previous_address, c.address, c.change.actions]).sort(), configs.map((a) => [old(a), a, ['no-op']]).sort());
    assert.deepEqual(changes.filter((c) => c.change.actions.some((a) => a === 'create' || a === 'delete')).map((c) => c.address), []);
  });

  // ADR 0118: an environment applied while every schedule was in the account's default group. A
  // schedule's group cannot change in place, so the next plan replaces each schedule, creating the
  // one in its own group before deleting the old; the group and its alarm are new, the scheduler
  // role's trust moves to the new ARN in place, and nothing else is created or deleted.
  test('schedules applied in the default group move to groups of their own: each replaced, created before the old is deleted', async () => {
    assert.ok(states.dev, 'envs/dev was not applied');
    const dir = join(BUILD, 'envs', 'dev-default-group');
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(BUILD, 'envs', 'dev'), dir, { recursive: true });
    const pulled = await terraform(dir, ['state', 'pull']);
    assert.equal(pulled.code, 0, `terraform state pull:\n${pulled.stderr}`);
    const state = JSON.parse(pulled.stdout);
    const jobs = [];
    state.resources = state.resources.filter((r) => r.type !== 'aws_scheduler_schedule_group'
      && !(r.type === 'aws_cloudwatch_metric_alarm' && r.name === 'dlq_send_failures' && r.module?.includes('scheduled_job')));
    for (const r of state.resources.filter((x) => x.type === 'aws_scheduler_schedule')) {
      for (const i of r.instances) {
        const { name, arn } = i.attributes;
        const old = arn.replace(/:schedule\/[^/]+\//, ':schedule/default/');
        Object.assign(i.attributes, { group_name: 'default', id: `default/${name}`, arn: old });
        i.dependencies = (i.dependencies ?? []).filter((d) => !d.endsWith('aws_scheduler_schedule_group.this'));
        const role = state.resources.find((x) => x.module === r.module && x.type === 'aws_iam_role' && x.name === 'scheduler').instances[0];
        role.attributes.assume_role_policy = role.attributes.assume_role_policy.replaceAll(arn, old);
        jobs.push(r.module);
      }
    }
    assert.ok(jobs.length >= 2, `only ${jobs.length} schedules applied`);
    state.serial += 1;
    writeFileSync(join(dir, 'default-group.tfstate'), JSON.stringify(state));
    const pushed = await terraform(dir, ['state', 'push', 'default-group.tfstate']);
    assert.equal(pushed.code, 0, `terraform state push:\n${pushed.stdout}${pushed.stderr}`);

    const plan = await terraform(dir, ['plan', '-input=false', '-no-color', '-out=tfplan']);
    assert.equal(plan.code, 0, `terraform plan failed:\n${plan.stdout}${plan.stderr}`);
    const shown = await terraform(dir, ['show', '-json', 'tfplan']);
    const changes = JSON.parse(shown.stdout).resource_changes.filter((c) => c.mode === 'managed' && !c.change.actions.includes('no-op'));
    const of = (type, name, actions) => jobs.map((m) => [`${m}.${type}.${name}`, actions]);
    assert.deepEqual(changes.map((c) => [c.address, c.change.actions]).sort(), [
      ...of('aws_scheduler_schedule', 'this', ['create', 'delete']),
      ...of('aws_scheduler_schedule_group', 'this', ['create']),
      ...of('aws_cloudwatch_metric_alarm', 'dlq_send_failures', ['create']),
      ...of('aws_iam_role', 'scheduler', ['update']),
    ].sort());
    for (const c of changes.filter((x) => x.type === 'aws_scheduler_schedule')) {
      assert.deepEqual(c.change.replace_paths, [['group_name']], `${c.address}: replaced for its group only`);
    }
  });

  test('terraform plan reports each broken manifest of fixtures/broken-wiring', async () => {
    const fixture = join(BUILD, 'test', 'fixtures', 'broken-wiring');
    const expect = {
      alpha: /Error: Invalid index[\s\S]*var\.event_type_publishers\[t\]/, // a consumer of an event type nobody publishes
      beta: /visibility_timeout_seconds must be >= 6 x\s+function\.timeout_seconds/,
      gamma: /attribute "queue": attribute\s+"visibility_timeout_seconds" is required/, // misspelt visibility_timeout
      delta: /filter_json must be a JSON object that does not set detail-type/,
      epsilon: /none\s+is\s+for\s+consumers\s+that\s+publish\s+nothing/, // idempotency: none with publishes (ADR 0098)
    };
    const results = await parallel(Object.keys(expect), 3, (svc) => planWithServices(fixture, svc));
    Object.entries(expect).forEach(([svc, re], i) => {
      assert.notEqual(results[i].code, 0, `${svc}: the plan succeeded`);
      assert.match(results[i].stdout + results[i].stderr, re, svc);
    });
  });

  test('a function on the OpenTelemetry tracer gets the ADOT layer of its region and the exec wrapper, and keeps Active tracing; without it the plan names what to set', async () => {
    const fixture = join(BUILD, 'test', 'fixtures', 'otel-tracer');
    // Its one function neither consumes nor publishes: it runs from the zip without EventBridge and SQS (ADR 0107).
    const zip = join(fixture, 'services', 'tracing', 'target', 'tracing-function-without-eventbridge-sqs.zip');
    mkdirSync(dirname(zip), { recursive: true });
    cpSync(join(REPO, 'services', 'orders', 'target', 'orders-function-without-s3.zip'), zip);
    const layer = 'arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-java-wrapper-amd64-ver-1-32-0:6';
    const cases = [{}, { otel_layer_arn: layer.replace('eu-west-1', 'us-east-1') }, { otel_layer_arn: layer }];
    // Terraform wraps an error message at any space.
    const wrapped = (message) => new RegExp(message.replace(/[.()]/g, '\\$&').split(' ').join('\\s+'));
    const [none, otherRegion, ok] = await parallel(cases, 3, (vars, i) => planWithServices(fixture, 'tracing', { vars, label: `-${i}`, json: i === 2 }));
    for (const [r, what] of [[none, 'without otel_layer_arn'], [otherRegion, 'with a layer of another region']]) {
      assert.notEqual(r.code, 0, `the plan succeeded ${what}`);
      assert.match(r.stdout + r.stderr, wrapped('dev-tracing-nightly selects FANOUT_TRACER = otel: set otel_layer_arn to the ADOT Lambda layer version of this region (eu-west-1).'), what);
    }
    assert.equal(ok.code, 0, `${ok.stdout}${ok.stderr}`);
    const fn = resources(ok.json.planned_values).find((r) => r.type === 'aws_lambda_function') ?? assert.fail('no function planned');
    assert.deepEqual(fn.values.layers, [layer]);
    assert.equal(fn.values.environment[0].variables.AWS_LAMBDA_EXEC_WRAPPER, '/opt/otel-handler');
    assert.equal(fn.values.environment[0].variables.FANOUT_TRACER, 'otel');
    assert.deepEqual(fn.values.tracing_config, [{ mode: 'Active' }]);
    assert.deepEqual(evaluatedPolicies.filter((p) => p.id.startsWith('otel')).flatMap((p) => evaluate(p, resources(ok.json.planned_values), REPO)), []);
    for (const env of ['dev', 'prod']) {
      for (const f of resources((states[env] ?? assert.fail(`envs/${env} was not applied`)).values).filter((r) => r.type === 'aws_lambda_function')) assert.deepEqual([f.values.layers, f.values.environment[0].variables.AWS_LAMBDA_EXEC_WRAPPER], [[], undefined], `${env}: ${f.address} is on the X-Ray tracer`);
    }
  });

  test('the runbook scenarios\' test services plan and apply as env ops: the roles RunbookCommandsTest enforces (target/terraform-runbooks/state.json)', async () => {
    const { plan, state } = await applyServices('runbooks', join(REPO, 'ops-cli', 'src', 'test', 'resources', 'services'), 'ops');
    const functions = resources(state.values).filter((r) => r.type === 'aws_lambda_function').map((r) => r.values.function_name).sort();
    console.log(`runbook services: ${resources(plan.planned_values).filter((r) => r.mode === 'managed').length} resources, functions ${functions.join(', ')}; ${servicesStatePath('runbooks')}`);
    assert.ok(functions.includes('ops-stock-reserve') && functions.includes('ops-shop-outbox-relay'), `functions applied: ${functions}`);
    const policies = resources(state.values).filter((r) => r.type === 'aws_iam_role_policy');
    assert.ok(policies.length >= functions.length, `${policies.length} role policies for ${functions.length} functions`);
  });

  test('prod canary: with a stable version the alias stays on it and routes 10% to the new one', async () => {
    assert.ok(states.prod, 'envs/prod was not applied');
    const plan = await planWithVars('prod', { stable_function_versions: { 'prod-payments-authorize-payment': '7' } });
    const changed = plan.resource_changes.filter((c) => c.mode === 'managed' && !c.change.actions.includes('no-op'));
    assert.deepEqual(changed.map((c) => [c.address, c.change.actions]), [
      ['module.platform.module.service["payments"].module.consumer["authorize-payment"].module.function.aws_lambda_alias.this', ['update']],
    ]);
    const alias = changed[0].change.after;
    const version = one(states.prod, 'module.platform.module.service["payments"].module.consumer["authorize-payment"].module.function.aws_lambda_function.this').values.version;
    assert.equal(alias.function_version, '7');
    assert.deepEqual(alias.routing_config, [{ additional_version_weights: { [version]: 0.1 } }]);
    for (const env of ['dev', 'prod']) {
      for (const a of resources(states[env].values).filter((r) => r.type === 'aws_lambda_alias')) assert.deepEqual(a.values.routing_config, [], `${env}: ${a.address} moves all at once without a stable version`);
    }
  });

  test('each applied fact bites: a state that breaks it is reported', () => {
    const base = states.dev ?? assert.fail('envs/dev was not applied');
    const at = (state, re) => resources(state.values).find((r) => r.mode === 'managed' && re.test(r.address)) ?? assert.fail(`no resource matches ${re}`);
    const consumer = /module\.consumer\["[^"]+"\]\./;
    const editPolicy = (r, edit) => { const doc = JSON.parse(r.values.policy); edit(doc); r.values.policy = JSON.stringify(doc); };
    const breakers = {
      'resource count': (st) => { const m = st.values.root_module.child_modules; const sub = at(st, /aws_sns_topic_subscription/); (function drop(mods) { for (const x of mods) { x.resources = (x.resources ?? []).filter((r) => r !== sub); drop(x.child_modules ?? []); } })(m); },
      'subscribed': (st) => { at(st, /aws_sns_topic_subscription/).values.filter_policy = '{"detail-type":["Other"]}'; },
      'environment': (st) => { delete at(st, new RegExp(`${consumer.source}module\\.function\\.aws_lambda_function`)).values.environment[0].variables.DLQ_URL; },
      'alarm': (st) => { at(st, /aws_cloudwatch_metric_alarm\.dlq_not_empty/).values.dimensions.QueueName = 'dev-nobody'; },
      'encrypted': (st) => { at(st, /aws_sqs_queue\.this/).values.kms_master_key_id = null; },
      "role's statements": (st) => editPolicy(at(st, /aws_iam_role_policy/), (doc) => doc.Statement.push({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:000000000000:nobody' })),
      'every_function_environment': (st) => { delete at(st, /aws_lambda_function\.this/).values.environment[0].variables.POWERTOOLS_METRICS_NAMESPACE; },
      'own DLQ under the contract names': (st) => { at(st, new RegExp(`${consumer.source}module\\.function\\.aws_lambda_function`)).values.environment[0].variables.EVENT_SOURCE = 'someone.else'; },
      'alarm kind of the contract': (st) => { at(st, /aws_cloudwatch_metric_alarm\.errors/).values.evaluation_periods += 1; },
      'stuck-saga alarm': (st) => { const a = resources(st.values).find((r) => r.values?.metric_name === 'SagaStuck'); a.values.dimensions = { service: a.values.dimensions.Service }; },
      'granting exactly its manifest access': (st) => editPolicy(at(st, new RegExp(`${consumer.source}module\\.function\\.aws_iam_role_policy`)), (doc) => doc.Statement.find((s) => s.Sid === 'IdempotencyRecords').Action.push('dynamodb:Scan')),
      'SES identity': (st) => editPolicy(at(st, /module\.consumer\["[^"]+"\]\.module\.function\.aws_iam_role_policy/), (doc) => doc.Statement.push({ Sid: 'SendMail', Effect: 'Allow', Action: 'ses:SendEmail', Resource: 'arn:aws:ses:eu-west-1:000000000000:identity/x' })),
      'claim-check bucket': (st) => editPolicy(at(st, /claim_check_bucket\.aws_s3_bucket_policy/), (doc) => { doc.Statement = doc.Statement.filter((s) => s.Effect !== 'Deny'); }),
      'put events on the bus': (st) => editPolicy(resources(st.values).find((r) => r.type === 'aws_iam_role_policy' && r.values.policy.includes('PublishOwnEventsOnly')), (doc) => { doc.Statement.find((s) => s.Sid === 'PublishOwnEventsOnly').Condition.StringEquals['events:source'] = 'another.service'; }),
      'authorizer and scopes': (st) => { at(st, /aws_apigatewayv2_route/).values.authorization_scopes = []; },
    };
    for (const [name, breakIt] of Object.entries(breakers)) {
      const broken = structuredClone(base);
      breakIt(broken);
      const fact = appliedFacts('dev', () => broken).find((f) => f.name.includes(name)) ?? assert.fail(`no fact named like ${name}`);
      assert.throws(() => fact.check(), assert.AssertionError, `${fact.name} did not report a broken state`);
    }
  });
}
