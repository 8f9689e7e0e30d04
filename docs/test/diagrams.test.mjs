// Every Mermaid diagram in the project's Markdown parses with Mermaid itself, the engine GitHub
// renders them with: a diagram it refuses shows readers an error box in place of the picture.
// docs/topology.md is written by the TopologyDiagram tool from the manifests, so this also checks
// that tool's output against the real parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Mermaid sanitises labels with DOMPurify, which needs a window, even when it only parses.
const { window } = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');

/** The ```mermaid blocks of a Markdown text, each with the line its fence opens on. */
export function mermaidBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)(`{3,}|~{3,})\s*mermaid\s*$/);
    if (!open) continue;
    const fence = open[2];
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
    assert.ok(j < lines.length, `the mermaid block opened on line ${i + 1} is never closed`);
    blocks.push({ line: i + 1, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

/**
 * The project's Markdown files: those git tracks, or, outside a git checkout (an unpacked archive),
 * every one outside build output, installed packages and local data.
 */
function markdownFiles() {
  try {
    return execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0').filter(Boolean);
  } catch {
    const skipped = new Set(['.git', 'node_modules', 'target', 'local-data']);
    const walk = (dir) => fs.readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return skipped.has(entry.name) ? [] : walk(relative);
      return entry.name.endsWith('.md') ? [relative] : [];
    });
    return walk('');
  }
}

const diagrams = markdownFiles().flatMap((file) =>
  mermaidBlocks(fs.readFileSync(path.join(repo, file), 'utf8')).map((block) => ({ file, ...block })));

test('the docs have the diagrams they are known for', () => {
  const files = new Set(diagrams.map((d) => d.file));
  for (const file of ['docs/topology.md', 'docs/architecture.md', 'docs/performance.md']) {
    assert.ok(files.has(file), `${file} has no mermaid block: was it moved, or did the finder break?`);
  }
});

for (const { file, line, text } of diagrams) {
  test(`${file}:${line} parses as a Mermaid diagram`, async () => {
    await assert.doesNotReject(() => mermaid.parse(text), `${file}:${line}`);
  });
}

test('a diagram Mermaid cannot read is refused (the check can fail)', async () => {
  await assert.rejects(() => mermaid.parse('flowchart LR\n  a -->|unclosed label b'));
  await assert.rejects(() => mermaid.parse('xychart-beta\n  x-axis [a, b\n  bar [1, 2]'));
});

test('a block is found whatever its fence, and an unclosed one is reported', () => {
  const markdown = ['# t', '```mermaid', 'flowchart LR', '  a --> b', '```', '~~~~ mermaid', 'pie', '~~~~', '```java', 'x', '```'].join('\n');
  assert.deepEqual(mermaidBlocks(markdown), [
    { line: 2, text: 'flowchart LR\n  a --> b' },
    { line: 6, text: 'pie' },
  ]);
  assert.throws(() => mermaidBlocks('```mermaid\nflowchart LR\n'), /never closed/);
});
