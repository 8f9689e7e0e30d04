// Terraform's value encoding on the plugin protocol: MessagePack as written by go-cty
// (cty/msgpack). Decoding is schema-free (MessagePack describes itself) except for unknown
// values, which arrive as extension 0 (or 12, with refinements) and become UNKNOWN. Encoding
// follows a cty type, because an object must carry every attribute of its type and a
// dynamically typed value travels as [type JSON, value].

export const UNKNOWN = Object.freeze({ unknown: true });
export const isUnknown = (v) => v === UNKNOWN;

/** A value of a dynamic-typed attribute: its cty type (JSON) and the value. */
export class Dynamic {
  constructor(type, value) { this.type = type; this.value = value; }
}

export function decode(buf) {
  let pos = 0;
  const u8 = () => buf[pos++];
  const read = (n) => { const s = buf.subarray(pos, pos + n); pos += n; return s; };
  const str = (n) => read(n).toString('utf8');
  const arr = (n) => { const a = []; for (let i = 0; i < n; i++) a.push(value()); return a; };
  const map = (n) => { const o = {}; for (let i = 0; i < n; i++) { const k = value(); o[k] = value(); } return o; };
  const ext = (n) => { const type = buf.readInt8(pos++); read(n); if (type === 0 || type === 12) return UNKNOWN; throw new Error(`unexpected msgpack extension ${type}`); };
  function value() {
    const b = u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xf0) === 0x80) return map(b & 0x0f);
    if ((b & 0xf0) === 0x90) return arr(b & 0x0f);
    if ((b & 0xe0) === 0xa0) return str(b & 0x1f);
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return Buffer.from(read(u8()));
      case 0xc5: { const n = buf.readUInt16BE(pos); pos += 2; return Buffer.from(read(n)); }
      case 0xc6: { const n = buf.readUInt32BE(pos); pos += 4; return Buffer.from(read(n)); }
      case 0xc7: return ext(u8());
      case 0xc8: { const n = buf.readUInt16BE(pos); pos += 2; return ext(n); }
      case 0xc9: { const n = buf.readUInt32BE(pos); pos += 4; return ext(n); }
      case 0xca: { const v = buf.readFloatBE(pos); pos += 4; return v; }
      case 0xcb: { const v = buf.readDoubleBE(pos); pos += 8; return v; }
      case 0xcc: return u8();
      case 0xcd: { const v = buf.readUInt16BE(pos); pos += 2; return v; }
      case 0xce: { const v = buf.readUInt32BE(pos); pos += 4; return v; }
      case 0xcf: { const v = Number(buf.readBigUInt64BE(pos)); pos += 8; return v; }
      case 0xd0: return buf.readInt8(pos++);
      case 0xd1: { const v = buf.readInt16BE(pos); pos += 2; return v; }
      case 0xd2: { const v = buf.readInt32BE(pos); pos += 4; return v; }
      case 0xd3: { const v = Number(buf.readBigInt64BE(pos)); pos += 8; return v; }
      case 0xd4: return ext(1);
      case 0xd5: return ext(2);
      case 0xd6: return ext(4);
      case 0xd7: return ext(8);
      case 0xd8: return ext(16);
      case 0xd9: return str(u8());
      case 0xda: { const n = buf.readUInt16BE(pos); pos += 2; return str(n); }
      case 0xdb: { const n = buf.readUInt32BE(pos); pos += 4; return str(n); }
      case 0xdc: { const n = buf.readUInt16BE(pos); pos += 2; return arr(n); }
      case 0xdd: { const n = buf.readUInt32BE(pos); pos += 4; return arr(n); }
      case 0xde: { const n = buf.readUInt16BE(pos); pos += 2; return map(n); }
      case 0xdf: { const n = buf.readUInt32BE(pos); pos += 4; return map(n); }
      default: throw new Error(`unexpected msgpack byte 0x${b.toString(16)}`);
    }
  }
  return buf.length === 0 ? null : value();
}

/** Decodes a value of cty type `type`, turning dynamic values into Dynamic and numbers written as strings into numbers. */
export function decodeTyped(buf, type) {
  return shape(decode(buf), type);
}

function shape(v, type) {
  if (v === null || v === UNKNOWN) return v;
  if (type === 'dynamic') {
    if (!Array.isArray(v) || v.length !== 2) throw new Error('a dynamic value must be [type, value]');
    const t = JSON.parse(Buffer.isBuffer(v[0]) ? v[0].toString('utf8') : v[0]);
    return new Dynamic(t, shape(v[1], t));
  }
  if (type === 'number') return typeof v === 'string' ? Number(v) : v;
  if (typeof type === 'string') return v;
  const [kind, inner] = type;
  switch (kind) {
    case 'list': case 'set': return v.map((x) => shape(x, inner));
    case 'map': return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x, inner)]));
    case 'object': return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, shape(v[k] ?? null, t)]));
    case 'tuple': return v.map((x, i) => shape(x, inner[i]));
    default: throw new Error(`unknown cty type ${JSON.stringify(type)}`);
  }
}

export function encode(value, type) {
  const out = [];
  const push = (...bytes) => out.push(Buffer.from(bytes));
  const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); out.push(b); };
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); out.push(b); };
  const arrayHeader = (n) => (n < 16 ? push(0x90 | n) : n < 0x10000 ? (push(0xdc), u16(n)) : (push(0xdd), u32(n)));
  const mapHeader = (n) => (n < 16 ? push(0x80 | n) : n < 0x10000 ? (push(0xde), u16(n)) : (push(0xdf), u32(n)));
  const string = (s) => {
    const b = Buffer.from(s, 'utf8');
    if (b.length < 32) push(0xa0 | b.length); else if (b.length < 256) push(0xd9, b.length); else if (b.length < 0x10000) { push(0xda); u16(b.length); } else { push(0xdb); u32(b.length); }
    out.push(b);
  };
  const bytes = (b) => { if (b.length < 256) push(0xc4, b.length); else { push(0xc6); u32(b.length); } out.push(b); };
  const number = (n) => {
    if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) {
      if (n >= 0 && n <= 0x7f) return push(n);
      if (n < 0 && n >= -32) return push(0x100 + n);
      const b = Buffer.alloc(9); b[0] = 0xd3; b.writeBigInt64BE(BigInt(n), 1); return out.push(b);
    }
    const b = Buffer.alloc(9); b[0] = 0xcb; b.writeDoubleBE(n, 1); out.push(b);
  };
  function write(v, t) {
    if (v === undefined || v === null) return push(0xc0);
    if (v === UNKNOWN) return push(0xd4, 0x00, 0x00);
    if (t === 'dynamic') {
      const d = v instanceof Dynamic ? v : new Dynamic(inferType(v), v);
      arrayHeader(2); bytes(Buffer.from(JSON.stringify(d.type))); return write(d.value, d.type);
    }
    if (t === 'string') return string(String(v));
    if (t === 'number') return number(Number(v));
    if (t === 'bool') return push(v ? 0xc3 : 0xc2);
    const [kind, inner] = t;
    switch (kind) {
      case 'list': case 'set': arrayHeader(v.length); return v.forEach((x) => write(x, inner));
      case 'tuple': arrayHeader(v.length); return v.forEach((x, i) => write(x, inner[i]));
      case 'map': { const e = Object.entries(v); mapHeader(e.length); return e.forEach(([k, x]) => { string(k); write(x, inner); }); }
      case 'object': { const e = Object.entries(inner); mapHeader(e.length); return e.forEach(([k, at]) => { string(k); write(v[k], at); }); }
      default: throw new Error(`unknown cty type ${JSON.stringify(t)}`);
    }
  }
  write(value, type);
  return Buffer.concat(out);
}

function inferType(v) {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return ['tuple', v.map(inferType)];
  if (v && typeof v === 'object') return ['object', Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inferType(x)]))];
  return 'dynamic';
}
