// Reading what Terraform applied (terraform show -json of envs/<env>): resources by type and
// address, each manifest function's module address, and IAM policy documents as statements.
import assert from 'node:assert/strict';
import { resources } from './terraform.mjs';

/** The managed resources of the state stateOf() returns, by type (and address prefix) or address. */
export function stateView(env, stateOf) {
  const managed = () => resources(stateOf().values).filter((r) => r.mode === 'managed');
  const ofType = (type, prefix = '') => managed().filter((r) => r.type === type && r.address.startsWith(prefix));
  const one = (address) => {
    const r = managed().find((x) => x.address === address);
    assert.ok(r, `${address} is not in the state of envs/${env}`);
    return r;
  };
  return { managed, ofType, one };
}

export const serviceAddress = (svc) => `module.platform.module.service["${svc}"].`;

/**
 * Every function a manifest declares, with the address of the module that owns its trigger
 * (`prefix`) and of its function module (`functionPrefix`).
 */
export function functionsOf(svc, m) {
  const s = serviceAddress(svc);
  const at = (kind, spec, extra = {}, index = '') => {
    const prefix = `${s}module.${kind}["${spec.name}"].`;
    return { name: spec.name, spec, fn: spec.function ?? {}, prefix, functionPrefix: `${prefix}module.function${index}.`, ...extra };
  };
  return [
    ...(m.consumers ?? []).map((c) => at('consumer', c, { consumer: c })),
    ...(m.http ?? []).map((h) => at('http_api', h)),
    ...(m.streams ?? []).map((st) => at('stream_relay', st)),
    ...(m.schedules ?? []).map((j) => at('scheduled_job', j)),
    ...(m.buckets ?? []).filter((b) => b.handler).map((b) => at('bucket', b, {}, '[0]')),
  ];
}

const list = (v) => (v === undefined ? [] : [].concat(v));

/**
 * The statements of an IAM policy JSON as { sid, effect, actions, resources, principals, conditions },
 * actions and resources as sorted lists, conditions as { '<test> <key>': [values] }.
 */
export function statements(policyJson) {
  return list(JSON.parse(policyJson).Statement).map((s) => ({
    sid: s.Sid,
    effect: s.Effect,
    actions: list(s.Action).sort(),
    resources: list(s.Resource).sort(),
    principals: s.Principal,
    conditions: Object.fromEntries(Object.entries(s.Condition ?? {}).flatMap(([test, byKey]) => Object.entries(byKey).map(([k, v]) => [`${test} ${k}`, list(v).map(String).sort()]))),
  }));
}
