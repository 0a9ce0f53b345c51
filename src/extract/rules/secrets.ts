// Secret material: plaintext values under secret-looking names (psk, password,
// NPM_TOKEN, hashedPassword, token ...), key and token material anywhere in
// the file (comments included), encrypted blobs kept inline. A reference to a
// secret (a key path, /run/secrets/..., passwordFile) is not material: see
// secret-references.ts. The evidence text is always masked: the value is
// never printed.
import type { Evidence } from '../model.js';
import { clip, constString, dotted, type FileContext, type Positions } from '../context.js';
import { hasSecret, maskedText, scanSecrets, type SecretFinding } from '../../secrets/index.js';
import { matches, offsetIn, type Rule } from './rule.js';

const SECRET_NAMES =
  /^(psk|pskRaw|password|passphrase|hashedPassword|initialPassword|initialHashedPassword|secret|clientSecret|token|accessToken|authToken|apiKey|api_key|apiToken|privateKey|private_key|secretKey|aws_secret_access_key)$/i;

// Environment variables are named in upper snake case, the secret part as one
// segment: NPM_TOKEN, GITHUB_TOKEN, OPENAI_API_KEY, DB_PASSWORD.
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const ENV_SECRET =
  /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_?KEY|SECRET_KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)(?:_|$)/;

// Passwords every installer guide uses: still a password, but nobody's own.
const DEFAULT_PASSWORDS = new Set([
  'nixos',
  'changeme',
  'password',
  'passw0rd',
  'hunter2',
  'root',
  'toor',
  'admin',
  'secret',
  '1234',
  '12345678',
]);

// Encrypted blobs kept in the file: armored age files and age's binary header.
const ENCRYPTED = /-----BEGIN AGE ENCRYPTED FILE-----|age-encryption\.org\/v1/g;

// Asked of every distinct name of every file: both first patterns fail at
// the first character of most names, sooner than a cache could look one up.
function secretName(name: string): boolean {
  return SECRET_NAMES.test(name) || (ENV_NAME.test(name) && ENV_SECRET.test(name));
}

// Other rules ask about the same short texts (names, addresses) again and again.
const secretTexts = new Map<string, boolean>();

/** Whether a text contains secret material: other rules must not print it. */
export function looksSecret(text: string): boolean {
  let secret = secretTexts.get(text);
  if (secret === undefined) {
    secret = hasSecret(text);
    if (secretTexts.size > 50_000) secretTexts.clear();
    secretTexts.set(text, secret);
  }
  return secret;
}

function masked(kind: string, length: number): string {
  return maskedText(kind, length);
}

const ID = 'secrets';

/**
 * Key and token material anywhere in the file, comments included, as the one
 * detector crossflake uses everywhere (src/secrets) found it. It needs only
 * the file's text: the analysis adds it at the end, from a scan that may have
 * run on another thread (secret-scan.ts).
 */
export function materialEvidence(found: SecretFinding[], positions: Positions): Evidence[] {
  return found.map((f) => {
    const { line, column } = positions.at(f.start);
    return {
      rule: ID,
      signal: 'secret',
      line,
      column,
      text: clip(f.masked),
      start: f.start,
      end: f.end,
    };
  });
}

/** Everything but the material: plaintext values of secret settings, encrypted blobs. */
export function secretSettings(ctx: FileContext): Evidence[] {
  const out: Evidence[] = [];
  // Each distinct name is asked once; most files have none that is secret-like.
  const named = ctx.hasName(secretName);
  for (const b of named ? ctx.options : []) {
    const last = b.path[b.path.length - 1];
    if (!last || !secretName(last) || !b.value) continue;
    // Only a constant text is material: `"$__file{${config.age.secrets.x.path}}"` points at one.
    if (b.value.type !== 'String' && b.value.type !== 'IndentedString') continue;
    const value = constString(ctx, b.value);
    if (value === null || value.length === 0) continue;
    const shown = `${dotted(b.path)} = ${masked('plaintext', value.length)}`;
    const text = DEFAULT_PASSWORDS.has(value.toLowerCase()) ? `${shown} (default password)` : shown;
    out.push(ctx.evidence(ID, 'secret', b.binding.start, b.binding.end, text));
  }
  for (const [piece, m] of matches(ctx, ENCRYPTED, ['string'])) {
    const start = offsetIn(piece, m.index);
    out.push(
      ctx.evidence(
        ID,
        'secret',
        start,
        offsetIn(piece, m.index + m[0].length),
        '<age-encrypted blob, masked>',
      ),
    );
  }
  return out;
}

export const secrets: Rule = {
  id: ID,
  summary:
    'secret material: plaintext psk/password/hashedPassword/token values and secret-named environment variables, private keys, tokens, encrypted blobs',
  check(ctx) {
    return [
      ...materialEvidence(scanSecrets(ctx.tree.source), ctx.positions),
      ...secretSettings(ctx),
    ];
  },
};
