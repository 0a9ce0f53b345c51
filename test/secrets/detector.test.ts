// The one secret detector (src/secrets) on a corpus of fake secrets in real
// formats and on look-alikes that must stay quiet.
import { describe, expect, it } from 'vitest';
import { describeFindings, scanSecrets } from '../../src/secrets/index.js';
import { presetRuleIds } from '../../src/secrets/preset.js';
import { entropy, isSecretName } from '../../src/secrets/entropy.js';
import { fakeSecrets, lookAlikes, placements } from './corpus.js';

const corpus = fakeSecrets();

describe('the corpus itself', () => {
  it('holds at least 40 fake secrets from at least 20 providers', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((s) => s.provider)).size).toBeGreaterThanOrEqual(20);
  });

  it('runs on secretlint’s recommended preset (its rules are loaded, the comment filter is not)', () => {
    const ids = presetRuleIds();
    expect(ids).toEqual(expect.arrayContaining(['openai', 'anthropic', 'slack', 'github', 'aws']));
    expect(ids).not.toContain('filter-comments');
  });
});

describe('every fake secret is found, in a Nix string, a multi-line text and an env-style line', () => {
  for (const secret of corpus) {
    for (const { where, text } of placements(secret.text)) {
      it(`${secret.provider} (${secret.text.slice(0, 6)}...) in a ${where}`, () => {
        const findings = scanSecrets(text);
        const start = text.indexOf(secret.text);
        const end = start + secret.text.length;
        // A finding covers (part of) the secret, and nothing prints it.
        expect(findings.some((f) => f.start < end && f.end > start)).toBe(true);
        for (const line of describeFindings('x', findings)) {
          expect(line).not.toContain(secret.text);
          expect(line).toMatch(/masked>$/);
        }
      });
    }
  }
});

describe('look-alikes are not secrets', () => {
  for (const { what, text } of lookAlikes()) {
    it(what, () => {
      expect(scanSecrets(text).map((f) => f.rule)).toEqual([]);
    });
  }
});

describe('findings', () => {
  it('carry 1-based lines and columns, in bytes when bytes are scanned', () => {
    const token = ['gh', 'p_', 'A1b2C3d4'.repeat(4), 'Zz9Y'].join('');
    const text = `first line\n# é then ${token}\n`;
    const [fromText] = scanSecrets(text);
    expect([fromText?.line, fromText?.column, fromText?.rule]).toEqual([2, 10, 'github']);
    const [fromBytes] = scanSecrets(Buffer.from(text, 'utf8'));
    expect([fromBytes?.line, fromBytes?.column]).toEqual([2, 11]);
    expect(fromBytes?.masked).toBe('<GitHub token, 40 chars, masked>');
  });

  it('one secret seen by a generic and a provider rule is reported once, by the provider', () => {
    const token = ['np', 'm_', 'Ab3'.repeat(12)].join('');
    const findings = scanSecrets(`NPM_TOKEN=${token}\n`);
    expect(findings.map((f) => f.kind)).toEqual(['npm token']);
  });

  it('a secretlint-disable comment does not silence the gates', () => {
    const token = ['gh', 'p_', 'A1b2C3d4'.repeat(4), 'Zz9Y'].join('');
    expect(scanSecrets(`# secretlint-disable\nx = "${token}"\n`)).toHaveLength(1);
  });

  it('stays linear on a long run of base64 (no backtracking blow-up)', () => {
    const blob = 'QUJD'.repeat(250_000);
    const best = (text: string): number => {
      let min = Infinity;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        scanSecrets(text);
        min = Math.min(min, performance.now() - started);
      }
      return min;
    };
    best(blob.slice(0, 1000)); // load the rules and warm the regex engine first
    const small = best(blob.slice(0, 50_000));
    const big = best(blob);
    // 20x the input may cost 20x the time; with room for a busy machine,
    // still far below the 400x of a quadratic scan.
    expect(big / Math.max(small, 0.5)).toBeLessThan(120);
  });
});

describe('the entropy rule', () => {
  it('names: the last word names a secret, and no word says it is public or a reference', () => {
    expect(
      ['deployKey', 'DEPLOY_TOKEN', 'auth-key', 'clientSecret', 'wifi.psk'].map(isSecretName),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['publicKey', 'keyFile', 'tokenPath', 'sshKeyFingerprint', 'keyboard'].map(isSecretName),
    ).toEqual([false, false, false, false, false]);
  });

  it('a random value under a secret name is found; a low-entropy one is not', () => {
    const random = ['k9', 'Qz', 'X4', 'mP', 'v7', 'Lw', 'R2', 'tY', 'b8', 'Nc', 'E5', 'hJ'].join(
      '',
    );
    expect(entropy(random)).toBeGreaterThan(3.5);
    expect(scanSecrets(`backup_key = "${random}"`).map((f) => f.rule)).toEqual(['entropy']);
    expect(scanSecrets('backup_key = "aaaaaaaaaaaaaaaa1"')).toEqual([]);
  });
});

describe('names are not key material', () => {
  it('an image key under "key" in a manifest is a name; a long random token there is not', () => {
    expect(scanSecrets('{ "key": "demo-wsl-x86_64-linux" }')).toEqual([]);
    const random = 'k3f9qz-p0x8wm2-r7t4ya1-b6n5hc0-e2d8';
    expect(scanSecrets(`{ "key": "${random}" }`).map((f) => f.rule)).toContain('entropy');
  });
});
