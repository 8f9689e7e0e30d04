// data "aws_iam_policy_document": the JSON the AWS provider renders from the statements, with its
// conventions (internal/service/iam/policy_model.go): a one-element list becomes a string, longer
// lists are sorted in reverse, principals of one type are merged, statements with a Sid replace
// those of the same Sid from source_policy_documents and are replaced by override_policy_documents,
// keys in the provider's field order, `json` indented by two spaces and `minified_json` compact.

const one = (list) => (list.length === 1 ? list[0] : [...list].sort().reverse());
const nonEmpty = (x) => x !== null && x !== undefined && !(Array.isArray(x) && x.length === 0);

function principals(blocks) {
  if (!nonEmpty(blocks)) return undefined;
  if (blocks.length === 1 && blocks[0].type === '*') return one(blocks[0].identifiers);
  const out = {};
  for (const p of blocks) {
    const ids = one(p.identifiers);
    const have = out[p.type];
    if (have === undefined) out[p.type] = ids;
    else out[p.type] = [...[].concat(have), ...[].concat(ids)];
  }
  return sortKeys(out);
}

function conditions(blocks) {
  if (!nonEmpty(blocks)) return undefined;
  const out = {};
  for (const c of blocks) {
    out[c.test] ??= {};
    const have = out[c.test][c.variable];
    const values = one(c.values);
    out[c.test][c.variable] = have === undefined ? values : [...[].concat(have), ...[].concat(values)];
  }
  return sortKeys(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, sortKeys(v)])));
}

const sortKeys = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

function statement(s) {
  const out = {};
  if (s.sid) out.Sid = s.sid;
  out.Effect = s.effect ?? 'Allow';
  if (nonEmpty(s.actions)) out.Action = one(s.actions);
  if (nonEmpty(s.not_actions)) out.NotAction = one(s.not_actions);
  if (nonEmpty(s.resources)) out.Resource = one(s.resources);
  if (nonEmpty(s.not_resources)) out.NotResource = one(s.not_resources);
  const p = principals(s.principals);
  if (p !== undefined) out.Principal = p;
  const np = principals(s.not_principals);
  if (np !== undefined) out.NotPrincipal = np;
  const c = conditions(s.condition);
  if (c !== undefined) out.Condition = c;
  return out;
}

function merge(base, statements) {
  const out = [...base];
  for (const s of statements) {
    const at = s.Sid ? out.findIndex((x) => x.Sid === s.Sid) : -1;
    if (at >= 0) out[at] = s; else out.push(s);
  }
  return out;
}

const parsedStatements = (docs) => (docs ?? []).filter(Boolean).flatMap((d) => [].concat(JSON.parse(d).Statement ?? []));

export function renderPolicyDocument(config) {
  let statements = parsedStatements(config.source_policy_documents);
  statements = merge(statements, (config.statement ?? []).map(statement));
  statements = merge(statements, parsedStatements(config.override_policy_documents));
  const doc = { Version: config.version ?? '2012-10-17' };
  if (config.policy_id) doc.Id = config.policy_id;
  doc.Statement = statements;
  const goEscape = (s) => s.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  return { json: goEscape(JSON.stringify(doc, null, 2)), minified_json: goEscape(JSON.stringify(doc)) };
}
