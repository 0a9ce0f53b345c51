// The detector without its shortcuts, as it ran before they were added: every
// preset rule and every pattern on every text (no needles, no gates), and the
// assignment scan of entropy.ts trying each offset in turn. What the real
// detector finds must be exactly what this finds (equivalence.test.ts).
import type { RawHit } from '../../src/secrets/finding.js';
import { ASSIGNMENT, isSecretName, looksLikeMaterial } from '../../src/secrets/entropy.js';
import { EVERY_NEEDLE } from '../../src/secrets/needles.js';
import { PATTERNS } from '../../src/secrets/patterns.js';
import { presetHits } from '../../src/secrets/preset.js';

export function referencePresetHits(text: string): RawHit[] {
  return presetHits(text, EVERY_NEEDLE);
}

export function referencePatternHits(text: string): RawHit[] {
  const out: RawHit[] = [];
  for (const p of PATTERNS) {
    const re = new RegExp(p.re.source, p.re.flags);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out.push({ rule: p.id, kind: p.kind, start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}

export function referenceEntropyHits(text: string): RawHit[] {
  const out: RawHit[] = [];
  const re = new RegExp(ASSIGNMENT.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [whole, name = '', value = ''] = m;
    if (!isSecretName(name) || !looksLikeMaterial(value)) {
      // The value may itself hold an assignment: look again after the name.
      re.lastIndex = m.index + name.length;
      continue;
    }
    const start = m.index + whole.length - value.length;
    out.push({
      rule: 'entropy',
      kind: 'random value under a secret name',
      start,
      end: start + value.length,
    });
  }
  return out;
}
