// Secrets: plaintext values under secret-looking names (psk, password, NPM_TOKEN,
// hashedPassword, token ...), key and token material anywhere in the file
// (comments included), and references to sops-nix / agenix secrets. The
// evidence text is always masked: the value is never printed.
import type { Evidence } from '../model.js';
import { dotted, type FileContext } from '../context.js';
import { hasSecret, maskedText, scanSecrets } from '../../secrets/index.js';
import { matches, offsetIn, type Rule } from './rule.js';

const SECRET_NAMES =
  /^(psk|pskRaw|password|passphrase|hashedPassword|initialPassword|initialHashedPassword|secret|clientSecret|token|accessToken|authToken|apiKey|api_key|apiToken|privateKey|private_key|secretKey|aws_secret_access_key)$/i;

// Environment variables are named in upper snake case, the secret part as one
// segment: NPM_TOKEN, GITHUB_TOKEN, OPENAI_API_KEY, DB_PASSWORD.
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const ENV_SECRET =
  /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_?KEY|SECRET_KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)(?:_|$)/;

// Option paths that point at secret material managed elsewhere.
const REFERENCE_ROOTS = [['sops'], ['age', 'secrets'], ['age', 'identityPaths'], ['age', 'file']];
// `passwordFile`, `authKeyFile`, `credentialsFile`, `environmentFile` ...:
// the option names a file that holds a secret; `passwordCommand` (mail
// accounts), borg's `passCommand` or spotifyd's `password_cmd` a command
// that prints one; Nix's `netrc-file` holds a binary cache's login.
const REFERENCE_NAMES =
  /^(?:[a-z_]*(?:password|passphrase|pass|psk|token|secret|key|auth|credentials?|netrc)[-_]?(?:File|Path|Command|cmd)s?|environmentFiles?|pskRaw)$/i;
// Where sops-nix and agenix put decrypted secrets, and agenix's encrypted files.
const SECRET_PATHS = /\/run\/(?:secrets|agenix)(?:\.d)?\/|\.age\b/g;

// Option names repeat across thousands of bindings (enable, port, ...): test each name once.
const nameTests = new Map<string, { secret: boolean; reference: boolean }>();
function testName(name: string): { secret: boolean; reference: boolean } {
  let t = nameTests.get(name);
  if (!t) {
    t = {
      secret: SECRET_NAMES.test(name) || (ENV_NAME.test(name) && ENV_SECRET.test(name)),
      reference: REFERENCE_NAMES.test(name),
    };
    nameTests.set(name, t);
  }
  return t;
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

function startsWithAny(path: (string | null)[], roots: string[][]): boolean {
  return roots.some((r) => r.every((seg, i) => path[i] === seg));
}

// Key and token material anywhere in the file, comments included: the one
// detector crossflake uses everywhere (src/secrets).
function material(ctx: FileContext, id: string): Evidence[] {
  return scanSecrets(ctx.tree.source).map((f) =>
    ctx.evidence(id, 'secret', f.start, f.end, f.masked),
  );
}

export const secrets: Rule = {
  id: 'secrets',
  summary:
    'plaintext psk/password/hashedPassword/token values and secret-named environment variables, private keys, tokens, sops/age material and references',
  check(ctx) {
    const out = material(ctx, this.id);
    for (const b of ctx.options) {
      const last = b.path[b.path.length - 1];
      const own = b.own;
      const isValue = b.value && (b.value.type === 'String' || b.value.type === 'IndentedString');
      const len = b.value ? b.value.end - b.value.start - 2 : 0;
      const named = last ? testName(last) : null;
      if (named?.secret && isValue && len > 0) {
        out.push(
          ctx.evidence(
            this.id,
            'secret',
            b.binding.start,
            b.binding.end,
            `${dotted(b.path)} = ${masked('plaintext', len)}`,
          ),
        );
      } else if (startsWithAny(b.path, REFERENCE_ROOTS) && own <= 0) {
        out.push(
          ctx.evidence(
            this.id,
            'secret',
            b.binding.start,
            b.binding.end,
            `${dotted(b.path)} (secret reference)`,
          ),
        );
      } else if (named?.reference) {
        out.push(
          ctx.evidence(
            this.id,
            'secret',
            b.binding.start,
            b.binding.end,
            `${dotted(b.path)} (secret file reference)`,
          ),
        );
      }
    }
    for (const [piece, m] of matches(ctx, SECRET_PATHS)) {
      const start = offsetIn(piece, m.index);
      out.push(
        ctx.evidence(
          this.id,
          'secret',
          start,
          offsetIn(piece, m.index + m[0].length),
          `${m[0]} (secret file reference)`,
        ),
      );
    }
    const refs = ctx.memo('secretSelects', () => selects(ctx));
    for (const r of refs) out.push(ctx.evidence(this.id, 'secret', r.start, r.end, r.text));
    return out;
  },
};

/** `config.sops.secrets.x.path`, `config.age.secrets.x.path`. */
function selects(ctx: FileContext): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  const src = ctx.tree.source;
  const re = /\bconfig\.(?:sops|age)\.secrets\b[\w."-]*/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    out.push({ start: m.index, end: m.index + m[0].length, text: `${m[0]} (secret reference)` });
  }
  return out;
}
