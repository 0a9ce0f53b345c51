// The syntax tree as plain JSON: same shape as the TypeScript types, with
// text fields decoded from bytes to UTF-8 (offsets stay byte offsets).
import type { Node } from './ast.js';
import { decode } from './source.js';

const TEXT_FIELDS = new Set(['name', 'value', 'text', 'path']);

export function treeToJSON(node: Node): unknown {
  return convert(node);
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = typeof v === 'string' && TEXT_FIELDS.has(key) ? decode(v) : convert(v);
  }
  return out;
}
