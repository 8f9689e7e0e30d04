// The AWS provider 6.25.0 schema (../../aws-provider-schema.json, written by `make tf-schema`)
// in the two forms the provider needs: protocol messages for GetProviderSchema, and the cty type
// of each block for encoding values.
import { readFileSync } from 'node:fs';

export const SCHEMA_FILE = new URL('../../aws-provider-schema.json', import.meta.url);
export const SCHEMA = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

/** The cty type Terraform derives from a block: an object of its attributes and nested blocks. */
export function blockType(block) {
  const attrs = {};
  for (const a of block.attributes) attrs[a.name] = a.type;
  for (const b of block.block_types) {
    const t = blockType(b.block);
    attrs[b.type_name] = b.nesting === 'LIST' ? ['list', t] : b.nesting === 'SET' ? ['set', t] : b.nesting === 'MAP' ? ['map', t] : t;
  }
  return ['object', attrs];
}

export function toProtoSchema(s) {
  const block = (b) => ({
    version: 0,
    attributes: b.attributes.map((a) => ({
      name: a.name,
      type: Buffer.from(JSON.stringify(a.type)),
      required: a.required,
      optional: a.optional,
      computed: a.computed,
      sensitive: false,
      description: '',
    })),
    block_types: b.block_types.map((n) => ({
      type_name: n.type_name,
      nesting: n.nesting,
      min_items: n.min_items,
      max_items: n.max_items,
      block: block(n.block),
    })),
  });
  return { version: s.version ?? 0, block: block(s.block) };
}

export function resourceSchema(type) { return SCHEMA.resource_schemas[type]; }
export function dataSourceSchema(type) { return SCHEMA.data_source_schemas[type]; }
