// Module conventions: file layout, README tables in sync, no orphaned
// variables, locals or data sources, module outputs that exist, `this`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, loadModule, TERRAFORM_DIR, traversals } from './lib/hcl.mjs';
import { renderReadme, moduleNames } from '../tools/module-docs.mjs';

const config = await loadConfig();
const modules = config.modules.filter((m) => m.rel.startsWith('terraform/modules/'));

test('every module has main.tf, variables.tf, outputs.tf, versions.tf and a README with up-to-date Inputs/Outputs', async () => {
  assert.ok(moduleNames().length >= 12);
  for (const name of moduleNames()) {
    for (const f of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) assert.ok(existsSync(join(TERRAFORM_DIR, 'modules', name, f)), `${name}/${f}`);
    const { current, next } = await renderReadme(name);
    assert.equal(current, next, `modules/${name}/README.md is out of date: run make tf-docs`);
    assert.match(current, /## Inputs[\s\S]*## Outputs/);
  }
});

test('the main resource of a module is named this; main.tf has banner comments', () => {
  for (const m of modules) {
    if (m.resources.length) assert.ok(m.resources.some((r) => r.name === 'this'), `${m.rel} has no resource named this`);
    assert.match(readFileSync(join(m.dir, 'main.tf'), 'utf8'), /^# -{20,}$/m, `${m.rel}/main.tf lacks banner comments`);
  }
});

function bodyWithout(m, skipVariable) {
  const parts = [m.resources, m.data, m.outputs, m.locals, m.modules, m.providers];
  const vars = Object.entries(m.variables).filter(([n]) => n !== skipVariable).map(([, v]) => v.validation ?? []);
  return [...parts, vars];
}

test('nothing orphaned: every variable, local and data source is used', () => {
  for (const m of config.modules) {
    for (const name of Object.keys(m.variables)) {
      // used outside its own declaration (its own validation does not count)
      assert.ok(traversals(bodyWithout(m, name), 'var').some((t) => t.name === name), `${m.rel}: variable "${name}" is never used`);
    }
    for (const name of Object.keys(m.locals)) {
      assert.ok(traversals([m.resources, m.data, m.outputs, m.locals, m.modules, m.providers], 'local').some((t) => t.name === name), `${m.rel}: local "${name}" is never used`);
    }
    for (const d of m.data) {
      const uses = JSON.stringify([m.resources, m.data, m.outputs, m.locals, m.modules]).split(`data.${d.type}.${d.name}`).length - 1;
      assert.ok(uses > 0, `${m.rel}: data.${d.type}.${d.name} is never used`);
    }
  }
});

test('module calls: sources exist, and every module.<name>.<output> referenced is an output of that module', async () => {
  for (const m of config.modules) {
    for (const [name, call] of Object.entries(m.modules)) {
      const dir = resolve(m.dir, call.source);
      assert.ok(existsSync(join(dir, 'main.tf')), `${m.rel}: module ${name} source ${call.source} does not exist`);
      const target = await loadModule(dir);
      const everything = [m.resources, m.data, m.outputs, m.locals, m.modules, m.providers];
      const str = JSON.stringify(everything);
      for (const mm of str.matchAll(new RegExp(`module\\.${name}(?:\\[[^\\]]*\\])?\\.([a-z_][a-z0-9_]*)`, 'g'))) {
        assert.ok(target.outputs[mm[1]], `${m.rel}: module.${name}.${mm[1]} is not an output of ${call.source}`);
      }
      // `for x in module.<name> : x.<output>` style
      for (const mm of str.matchAll(new RegExp(`for (?:[a-z_]+, )?([a-z_]+) in module\\.${name} : [^}\\]]*?\\b\\1\\.([a-z_][a-z0-9_]*)`, 'g'))) {
        assert.ok(target.outputs[mm[2]], `${m.rel}: ${mm[2]} is not an output of module ${name}`);
      }
    }
  }
});

test('runbooks: every runbook is linked by an alarm kind, has the five sections and commands that run locally', () => {
  const dir = join(TERRAFORM_DIR, '..', 'runbooks');
  const kinds = new Set();
  for (const m of config.modules) for (const a of m.resources.filter((r) => r.type === 'aws_cloudwatch_metric_alarm')) {
    const k = /runbooks\/([A-Za-z0-9]+)\.md/.exec(String(a.body.alarm_description))?.[1];
    if (k) kinds.add(k);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');
  for (const f of files) {
    const kind = f.replace(/\.md$/, '');
    assert.ok(kinds.has(kind), `runbooks/${f} is not linked by any alarm`);
    const text = readFileSync(join(dir, f), 'utf8');
    for (const section of ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation', '## Escalation']) assert.ok(text.includes(`\n${section}\n`), `runbooks/${f} lacks ${section}`);
    // ```sh blocks run against the local runtime as well as AWS (ops-cli RunbookCommandsTest runs each one);
    // ```sh aws-only blocks need an account. See runbooks/README.md.
    assert.match(text, /^ *```sh\n/m, `runbooks/${f} has no command block that runs against the local runtime`);
    for (const mm of text.matchAll(/^ *```(\S.*)$/gm)) assert.ok(['sh', 'sh aws-only'].includes(mm[1]), `runbooks/${f}: code block kind '${mm[1]}' is neither sh nor sh aws-only`);
  }
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  for (const k of kinds) assert.ok(readme.includes(`(${k}.md)`), `runbooks/README.md does not list ${k}`);
});
