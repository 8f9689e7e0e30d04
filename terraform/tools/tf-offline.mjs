#!/usr/bin/env node
// The real terraform, offline, on a copy of terraform/ under target/terraform (see
// terraform/README.md, "Checked by the real Terraform, offline"):
//
//   node terraform/tools/tf-offline.mjs validate   terraform fmt -check, then validate every env and module
//   node terraform/tools/tf-offline.mjs json       plan + apply each env through the offline provider:
//                                                  target/terraform/envs/<env>/plan.json and state.json, and
//                                                  the runbook scenarios' services as env ops: target/terraform-runbooks/state.json
//   node terraform/tools/tf-offline.mjs test       terraform test (terraform/test/tftest) in each env
import { join } from 'node:path';
import {
  terraformMissing, prepareCopy, terraform, validate, moduleDirs, relative, describe, parallel, planAndApply, resources, runTftest, applyServices, servicesStatePath, BUILD, REPO,
} from '../test/lib/terraform.mjs';

const ENVS = ['dev', 'prod'];
const command = process.argv[2];
if (!['validate', 'json', 'test'].includes(command)) {
  console.error('usage: tf-offline.mjs validate|json|test');
  process.exit(2);
}
const missing = terraformMissing();
if (missing) {
  console.log(missing);
  process.exit(0);
}
try {
  prepareCopy();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

let failed = false;
if (command === 'validate') {
  const fmt = await terraform(BUILD, ['fmt', '-check', '-recursive', '-no-color']);
  if (fmt.code !== 0) {
    console.error(`terraform fmt would rewrite these files (run terraform fmt -recursive terraform/):\n${fmt.stdout}${fmt.stderr}`);
    failed = true;
  }
  for (const r of await parallel(moduleDirs(), 3, validate)) {
    console.log(`${r.ok ? 'valid  ' : 'INVALID'} ${relative(r.dir)}`);
    if (!r.ok) { failed = true; console.log(r.diagnostics.map((d) => `  ${describe(d)}`).join('\n') || r.output); }
  }
} else if (command === 'json') {
  for (const env of ENVS) {
    const { plan, state } = await planAndApply(env);
    const count = (v) => resources(v).filter((r) => r.mode === 'managed').length;
    console.log(`envs/${env}: ${count(plan.planned_values)} resources planned, ${count(state.values)} applied; target/terraform/envs/${env}/plan.json and state.json`);
  }
  const { state } = await applyServices('runbooks', join(REPO, 'ops-cli', 'src', 'test', 'resources', 'services'), 'ops');
  console.log(`runbook services (env ops): ${resources(state.values).filter((r) => r.mode === 'managed').length} resources applied; ${servicesStatePath('runbooks')}`);
} else {
  for (const env of ENVS) {
    const r = await runTftest(env);
    console.log(r.stdout.trim());
    if (r.code !== 0) { failed = true; console.error(r.stderr); }
  }
}
if (failed) process.exit(1);
