// The HCL evaluator behind the plan stand-in, on expressions whose Terraform
// results are known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scope, evaluate, isUnknown, Unknown } from './lib/hcl-eval.mjs';

const s = scope({
  vars: { env: 'dev', xs: ['b', 'a', 'b'], m: { b: 2, a: 1 }, n: null, u: new Unknown('x'), obj: { k: { v: 1 } } },
  locals: { twice: '${[for x in var.xs : "${x}${x}"]}', chained: '${local.twice[0]}' },
});
const e = (src) => evaluate(`\${${src}}`, s);

test('templates, arithmetic, comparison, conditionals', () => {
  assert.equal(evaluate('${var.env}-orders-${1 + 2 * 3}', s), 'dev-orders-7');
  assert.equal(e('6 * 20 <= 120 && !false'), true);
  assert.equal(e('var.n == null ? "none" : "some"'), 'none');
  assert.equal(e('var.env != "prod"'), true);
});

test('for expressions: lists, maps (sorted keys), filters, grouping', () => {
  assert.deepEqual(e('[for x in var.xs : upper(x) if x != "a"]'), ['B', 'B']);
  assert.deepEqual(e('{ for k, v in var.m : k => v * 10 }'), { a: 10, b: 20 });
  assert.deepEqual(e('[for k, v in var.m : k]'), ['a', 'b']);
  assert.deepEqual(e('{ for x in var.xs : x => x... }'), { a: ['a'], b: ['b', 'b'] });
  assert.throws(() => e('{ for x in var.xs : x => x }'), /duplicate object key/);
});

test('functions, try/can, splat, expansion', () => {
  assert.deepEqual(e('distinct(var.xs)'), ['b', 'a']);
  assert.deepEqual(e('merge({ a = 1 }, { b = 2 }, { a = 3 })'), { a: 3, b: 2 });
  assert.deepEqual(e('merge([{ a = 1 }, { b = 2 }]...)'), { a: 1, b: 2 });
  assert.equal(e('jsonencode(merge({ "detail-type" = ["A"] }, jsondecode("{\\"detail\\":{\\"x\\":[1]}}")))'), '{"detail-type":["A"],"detail":{"x":[1]}}');
  assert.equal(e('try(var.obj.missing, "fallback")'), 'fallback');
  assert.equal(e('can(var.obj.k.v)'), true);
  assert.equal(e('can(var.obj.nope)'), false);
  assert.deepEqual(e('[{ a = 1 }, { a = 2 }][*].a'), [1, 2]);
  assert.equal(e('one([])'), null);
  assert.equal(e('lookup(var.m, "zz", 0)'), 0);
  assert.equal(e('replace("GET /orders/{id}", "/[^A-Za-z0-9]+/", "-")'), 'GET-orders-id-');
});

test('locals are evaluated lazily and may refer to each other', () => {
  assert.equal(s.lookup('local').chained, 'bb');
});

test('unknown values propagate like in a plan; null-ness stays known', () => {
  assert.ok(isUnknown(e('"${var.u}-x"')));
  assert.ok(isUnknown(e('var.u == "a"')));
  assert.equal(e('{ a = var.u } != null'), true);
  assert.deepEqual(Object.keys(e('{ for k, v in var.m : k => var.u }')), ['a', 'b']);
});

test('errors: unknown attributes, undeclared locals, unsupported functions', () => {
  assert.throws(() => e('var.obj.nope'), /unsupported attribute "nope"/);
  assert.throws(() => e('local.nope'), /undeclared local.nope/);
  assert.throws(() => e('nosuchfn(1)'), /unsupported function/);
});
