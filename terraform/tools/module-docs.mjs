#!/usr/bin/env node
// Regenerates the Inputs and Outputs tables of every module README between
// <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> from variables.tf and
// outputs.tf. `--check` exits 1 when a README is out of date (the tests use
// the same function).
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TERRAFORM_DIR, loadModule } from '../test/lib/hcl.mjs';

const BEGIN = '<!-- BEGIN_TF_DOCS -->';
const END = '<!-- END_TF_DOCS -->';
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n\s*/g, ' ');
const code = (s) => `\`${cell(s)}\``;
const unwrap = (t) => String(t).replace(/^\$\{/, '').replace(/\}$/, '');
function compactType(t) {
  const lines = unwrap(t).split('\n').map((l) => l.trim().replace(/\s+=\s+/g, ' = ')).filter(Boolean);
  let out = lines[0] ?? '';
  for (const l of lines.slice(1)) out += /[{([,]$/.test(out) || /^[})\]]/.test(l) ? ` ${l}` : `, ${l}`;
  return out.length > 240 ? `${out.slice(0, 200)} … (see variables.tf)` : out;
}

export async function moduleDocs(dir) {
  const mod = await loadModule(dir);
  const rows = Object.entries(mod.variables).sort(([a], [b]) => a.localeCompare(b)).map(([name, v]) => {
    const required = !('default' in v);
    const dflt = required ? '' : code(JSON.stringify(v.default));
    return `| ${code(name)} | ${cell(v.description ?? '')} | ${code(compactType(v.type ?? 'any'))} | ${dflt} | ${required ? 'yes' : 'no'} |`;
  });
  const outs = Object.entries(mod.outputs).sort(([a], [b]) => a.localeCompare(b)).map(([name, o]) => `| ${code(name)} | ${cell(o.description ?? '')} |`);
  return [
    BEGIN,
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '|------|-------------|------|---------|:--------:|',
    ...rows,
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '|------|-------------|',
    ...outs,
    END,
  ].join('\n');
}

export function moduleNames() {
  return readdirSync(join(TERRAFORM_DIR, 'modules')).sort();
}

/** The README with its generated section replaced (appended when missing). */
export async function renderReadme(name) {
  const dir = join(TERRAFORM_DIR, 'modules', name);
  const file = join(dir, 'README.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# ${name}\n\n`;
  const docs = await moduleDocs(dir);
  const i = current.indexOf(BEGIN), j = current.indexOf(END);
  const next = i >= 0 && j > i ? `${current.slice(0, i)}${docs}${current.slice(j + END.length)}` : `${current.trimEnd()}\n\n${docs}\n`;
  return { file, current, next };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const name of moduleNames()) {
    const { file, current, next } = await renderReadme(name);
    if (current === next) continue;
    stale++;
    if (check) console.error(`${file} is out of date: run make tf-docs`);
    else { writeFileSync(file, next); console.error(`wrote ${file}`); }
  }
  if (check && stale) process.exit(1);
}
