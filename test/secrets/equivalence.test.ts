// The detector's shortcuts change nothing it finds. needles.ts tells which
// literals a text holds, and each rule runs only where its literals are;
// entropy.ts tries its assignment pattern only after a secret word. Each part
// is compared with reference.ts (every rule on every text, the assignment
// pattern at every offset) on the repository's fixture files, the fake
// secrets and look-alikes, generated texts with the hard cases (literals at
// the edges, cut short, in other cases, repeated; names, quotes, signs and
// values of every shape; long runs), and the upstream trees when present.
import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { entropyHits } from '../../src/secrets/entropy.js';
import { needlesIn, registeredNeedles } from '../../src/secrets/needles.js';
import { patternHits } from '../../src/secrets/patterns.js';
import { presetHits } from '../../src/secrets/preset.js';
import { hasSecret, scanSecrets } from '../../src/secrets/index.js';
import { fakeSecrets, generator, lookAlikes, placements } from './corpus.js';
import { referenceEntropyHits, referencePatternHits, referencePresetHits } from './reference.js';

/** Every regular file under `dir`, as the detector reads bytes: latin1. */
function filesUnder(dir: string, only?: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...filesUnder(path, only));
    else if (st?.isFile() && (!only || only.test(name)) && st.size < 4 << 20) {
      out.push(Buffer.from(readFileSync(path)).toString('latin1'));
    }
  }
  return out;
}

const flipCase = (s: string): string =>
  [...s].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');

/** Each needle at the edges, cut short, doubled, overlapping itself, in every case. */
function needleTexts(): string[] {
  const out: string[] = [];
  for (const { text } of registeredNeedles()) {
    for (const v of [text, text.toUpperCase(), text.toLowerCase(), flipCase(text)]) {
      out.push(v, `${v}x`, `x${v}`, `${v}${v}`, `${v.slice(0, -1)}`, `${v.slice(1)}`);
      out.push(`${v.slice(0, 2)}${v}`, `${v}\n${v.slice(0, -1)}`, `é${v}é`);
    }
  }
  // Short texts are searched needle by needle, longer ones in one pass: both ways.
  return [...out, ...out.map((t) => `${t}${' '.repeat(300)}${t}`)];
}

const NAMES = [
  'key',
  'apiKey',
  'API_KEY',
  'api_key_',
  'db.password',
  'x-token',
  'Token',
  'my.secret.',
  'passphrase',
  'pSk',
  'AUTH',
  'credentials',
  'credential2',
  '2key',
  '.key',
  '-token',
  '_secret',
  'publicKey',
  'keyFile',
  'key2',
  'a.b.c.token',
  'GITHUB_TOKEN',
  'sessionToken',
  'aws_secret_access_key',
  'export DEPLOY_PASSWORD',
  'PASSWORD',
  'Authorization',
  'x'.repeat(300) + 'Token',
  'token-',
  'api-key--',
  'secret.-_',
  'Pass.',
];
const SIGNS = ['=', ':', ':=', '=>', '==', ' = ', '\t:\t', '" = ', "':", ' "=', ': =', '\n=', ' '];
const OPEN = ['', '"', "'", '`', '"$', "'{"];

/** Assignments of every shape, alone, back to back and inside another's value. */
function assignmentTexts(): string[] {
  const r = generator(7);
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const values = [
    '',
    'abc',
    'aB3dE5fG7hJ9kL1',
    'aB3dE5fG7hJ9kL1m',
    'aB3dE5fG7hJ9kL1mN',
    r(ALNUM, 511),
    r(ALNUM, 512),
    r(ALNUM, 513),
    `=${r(ALNUM, 15)}`,
    `sha256-${r(ALNUM, 43)}=`,
    '/run/secrets/demo-password',
    'enable-feature-flags',
    `${r(ALNUM, 20)};${r(ALNUM, 20)}`,
    `key=${r(ALNUM, 24)}`,
    `api_key: ${r(ALNUM, 24)}`,
  ];
  const out: string[] = [];
  for (const name of NAMES) {
    for (const sign of SIGNS) {
      for (const open of OPEN) {
        for (const value of [values[3]!, values[1]!, values[8]!, values[13]!]) {
          out.push(`${name}${sign}${open}${value}`);
        }
      }
    }
    for (const value of values) out.push(`${name} = "${value}";`, `${name}=${value}\n`);
  }
  // Back to back, nested, and random mixes of all the pieces.
  const pieces = [...NAMES, ...SIGNS, ...OPEN, ...values, ' ', '\n', ';', ',', ')', '}'];
  const pick = () => pieces[Number(r('0123456789', 4)) % pieces.length]!;
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const n = 2 + (i % 17);
    for (let k = 0; k < n; k++) s += pick();
    out.push(s);
  }
  return out;
}

/** Long runs of the characters the scans stop at. */
function longRuns(): string[] {
  const r = generator(11);
  const v = r('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40);
  return [
    `${'a'.repeat(100_000)}Key = ${v}`,
    '='.repeat(50_000),
    ':'.repeat(50_000) + `token=${v}`,
    `${'key'.repeat(20_000)}=${v}`,
    `${'token='.repeat(10_000)}${v}`,
    '$'.repeat(20_000),
    '-'.repeat(20_000) + 'glpat-' + v,
    `${'_'.repeat(30_000)}authToken=${v}`,
    `${'x'.repeat(30_000)}ox-${v}`,
    ` ${'\t'.repeat(30_000)}=${v}`,
  ];
}

/** The fake secrets in their placements, with their case flipped, and the look-alikes. */
function secretTexts(): string[] {
  const out: string[] = [];
  for (const s of fakeSecrets()) {
    for (const p of placements(s.text)) {
      out.push(p.text, flipCase(p.text), p.text.toLowerCase(), p.text.toUpperCase());
    }
  }
  for (const l of lookAlikes()) out.push(l.text, l.text.toUpperCase());
  return out;
}

/** Where the detector's parts and the reference disagree: none. */
function disagreements(texts: string[]): string[] {
  const out: string[] = [];
  const needles = registeredNeedles();
  for (const text of texts) {
    const present = needlesIn(text);
    const lower = text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
    needles.forEach((n, id) => {
      const expected = (n.folded ? lower : text).includes(n.text);
      if (present.has(id) !== expected) out.push(`needle ${n.text}: ${text.slice(0, 80)}`);
    });
    const pairs: [string, unknown, unknown][] = [
      ['preset', presetHits(text, present), referencePresetHits(text)],
      ['patterns', patternHits(text, present), referencePatternHits(text)],
      ['entropy', entropyHits(text), referenceEntropyHits(text)],
    ];
    for (const [part, got, want] of pairs) {
      if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${part}: ${text.slice(0, 80)}`);
    }
  }
  return out;
}

describe('the shortcuts find exactly what every rule at every offset finds', () => {
  it('on generated texts: every needle at the edges, cut short, repeated, in every case', () => {
    const texts = needleTexts();
    expect(texts.length).toBeGreaterThan(1000);
    expect(disagreements(texts)).toEqual([]);
  });

  it('on assignments of every shape (names, quotes, signs, values, nesting) and long runs', () => {
    const texts = [...assignmentTexts(), ...longRuns()];
    // The corpus does exercise the entropy rule, the assignment pattern and the gates.
    expect(texts.filter((t) => referenceEntropyHits(t).length > 0).length).toBeGreaterThan(100);
    expect(
      texts.filter((t) => referencePatternHits(t).some((h) => h.rule === 'secret-assignment'))
        .length,
    ).toBeGreaterThan(100);
    expect(disagreements(texts)).toEqual([]);
  });

  it('on the fake secrets (in three placements, case flipped) and the look-alikes', () => {
    expect(disagreements(secretTexts())).toEqual([]);
  });

  it('on every fixture file of the repository', () => {
    const texts = filesUnder('test/fixtures');
    expect(texts.length).toBeGreaterThan(300);
    expect(disagreements(texts)).toEqual([]);
  });

  it.runIf(existsSync('../shared/upstream'))(
    'on every .nix file under ../shared/upstream',
    () => {
      const texts = filesUnder('../shared/upstream', /\.nix$/);
      expect(texts.length).toBeGreaterThan(1000);
      expect(disagreements(texts)).toEqual([]);
    },
    120_000,
  );

  it('hasSecret says whether scanSecrets finds anything', () => {
    for (const text of [...secretTexts(), ...assignmentTexts().slice(0, 500)]) {
      expect(hasSecret(text)).toBe(scanSecrets(text).length > 0);
    }
  });
});
