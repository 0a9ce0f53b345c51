// Secret formats that secretlint's recommended preset does not cover (or
// covers more narrowly than crossflake did before it used the preset), found
// by their form wherever they sit. Prefixes and lengths follow the providers'
// published formats as gitleaks' rule set records them.
import type { RawHit } from './finding.js';
import type { Gate, Gated, Needle, Packed, Present } from './needles.js';
import { candidates, gated, literal, packed, passes, word } from './needles.js';

export interface PatternRule {
  id: string;
  kind: string;
  /** Must have the g flag. */
  re: RegExp;
  /**
   * Literals of which every match contains at least one (and, when `also` is
   * set, that one too): the pattern runs only on a text that holds them.
   */
  needles?: Needle[];
  also?: Needle;
  /**
   * A cheaper expression every text with a match matches (a part of the
   * pattern that irregexp finds without trying each offset): tested last.
   */
  gate?: RegExp;
}

const any = (...texts: string[]): Needle[] => texts.map(literal);

export const PATTERNS: readonly PatternRule[] = [
  {
    id: 'private-key-block',
    kind: 'private key block',
    re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
    needles: any('PRIVATE KEY'),
  },
  {
    id: 'age',
    kind: 'age secret key',
    re: /AGE-SECRET-KEY-1[0-9A-Z]{20,}/g,
    needles: any('AGE-SECRET'),
  },
  {
    id: 'github',
    kind: 'GitHub token',
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})/g,
    needles: any('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'),
  },
  {
    id: 'slack',
    kind: 'Slack token',
    re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
    needles: any('xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'),
  },
  { id: 'gitlab', kind: 'GitLab token', re: /\bglpat-[A-Za-z0-9_-]{20,}/g, needles: any('glpat-') },
  {
    id: 'aws',
    kind: 'AWS access key',
    re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
    needles: any('AKIA', 'ASIA'),
  },
  {
    id: 'google',
    kind: 'Google API key',
    re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    needles: any('AIza'),
  },
  {
    id: 'stripe',
    kind: 'Stripe secret key',
    re: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,}|\bwhsec_[0-9A-Za-z]{32,}/g,
    needles: any('_live_', '_test_', 'whsec_'),
  },
  {
    id: 'tailscale',
    kind: 'Tailscale key',
    re: /\btskey-(?:auth|api|client|scim|webhook)?-?[0-9A-Za-z]+-[0-9A-Za-z]{16,}/g,
    needles: any('tskey-'),
  },
  {
    id: 'jwt',
    kind: 'JSON web token',
    re: /\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}/g,
    needles: any('eyJ'),
  },
  {
    // Authorization: Basic dXNlcjpwYXNz / Bearer ... (not `$TOKEN` or `${...}`).
    id: 'http-auth-header',
    kind: 'HTTP Authorization header',
    re: /\b(?:Proxy-)?Authorization\s*:\s*(?:Basic|Bearer|Token|Digest)\s+(?![$%{<])[0-9A-Za-z+/=._~-]{8,}/gi,
    needles: [word('authorization')],
  },
  {
    id: 'digitalocean',
    kind: 'DigitalOcean token',
    re: /\bdo[opr]_v1_[0-9a-f]{64}\b/g,
    needles: any('_v1_'),
  },
  {
    id: 'pypi',
    kind: 'PyPI token',
    re: /\bpypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}/g,
    needles: any('pypi-'),
  },
  {
    id: 'telegram',
    kind: 'Telegram bot token',
    re: /\b\d{8,10}:AA[0-9A-Za-z_-]{33}(?![0-9A-Za-z_-])/g,
    needles: any(':AA'),
  },
  {
    id: 'doppler',
    kind: 'Doppler token',
    re: /\bdp\.(?:st|ct|pt|sa|scim|audit)\.[0-9A-Za-z_-]{40,44}\b/g,
    needles: any('dp.'),
  },
  {
    id: 'discord-webhook',
    kind: 'Discord webhook URL',
    re: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[0-9A-Za-z_-]{60,}/g,
    needles: any('discord'),
  },
  { id: 'twilio', kind: 'Twilio API key', re: /\bSK[0-9a-f]{32}\b/g, needles: any('SK') },
  {
    id: 'azure-storage',
    kind: 'Azure storage account key',
    re: /\bAccountKey=[0-9A-Za-z+/]{86}==/g,
    needles: any('AccountKey='),
  },
  // A wg-quick / INI config inside a string: `PrivateKey = <44 chars of base64>`.
  {
    id: 'wireguard',
    kind: 'WireGuard key',
    re: /\b(?:PrivateKey|PresharedKey)\s*=\s*[A-Za-z0-9+/]{43}=/g,
    needles: any('PrivateKey', 'PresharedKey'),
  },
  // SQL run at start-up: CREATE ROLE x WITH LOGIN PASSWORD 'y'.
  {
    id: 'sql-password',
    kind: 'SQL password',
    re: /\bPASSWORD\s+'[^'\s]{4,}'/gi,
    needles: [word('password')],
  },
  // scheme://user:password@host (a database or proxy URL).
  {
    id: 'url-password',
    kind: 'password in a URL',
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:[^\s@/"']{3,}@/gi,
    needles: any('://'),
    also: literal('@'),
    gate: /:\/\/[^\s:/@"']+:[^\s@/"']{3,}@/,
  },
  // A script, INI, YAML or TOML text: `export RESTIC_PASSWORD='...'`,
  // `aws_secret_access_key = ...`, `password: ...` (a value, not `$VAR`,
  // `$(command)`, a quoted Nix string or a template).
  {
    id: 'secret-assignment',
    kind: 'secret in a script or config text',
    re: /\b(?:export\s+)?(?:[A-Za-z0-9]+_)*(?:token|secret|password|passwd|api_?key|secret_key|secret_access_key|private_key|session_token)\s*[:=]\s*['"]?(?![$'"{<])[^\s'",;]{6,}/gi,
    // Each name above ends in one of these, right before the sign: found from the sign.
    gate: /[:=](?<=(?:token|secret|passw(?:or)?d|api_?key|_key)\s*[:=])/i,
  },
  // macOS Keychain read in a script: the command prints a secret.
  {
    id: 'keychain-read',
    kind: 'Keychain secret read',
    re: /\bsecurity\s+find-(?:generic|internet)-password\b[^\n]*\s-w\b/g,
    needles: any('find-'),
  },
  // An .npmrc inside a string: `//registry/:_authToken=...` (not `${NPM_TOKEN}`).
  {
    id: 'npm-registry-credential',
    kind: 'npm registry credential',
    re: /(?:^|[\s:])_(?:authToken|auth|password)\s*=\s*[^\s'"$]{8,}/g,
    needles: any('_auth', '_password'),
  },
  { id: 'sops', kind: 'sops-encrypted value', re: /ENC\[AES256_GCM,/g, needles: any('ENC[') },
  {
    id: 'password-hash',
    kind: 'password hash',
    re: /(?<![\w$])\$(?:6|5|y|2[aby]|argon2id?)\$[^\s"']{8,}/g,
    needles: any('$6$', '$5$', '$y$', '$2a$', '$2b$', '$2y$', '$argon2i'),
  },
];

// Each pattern as patternHits reads it, all of one shape: its needles as a
// gate (any one of them, with `also`; none: always), its regular expression
// gate or null.
interface Rule {
  id: string;
  kind: string;
  re: RegExp;
  needles: Packed;
  gate: RegExp | null;
}

function rule(p: PatternRule): Rule {
  const also = p.also;
  const needles: Gate =
    p.needles === undefined
      ? also === undefined
        ? [[]]
        : [[also]]
      : p.needles.map((n) => (also === undefined ? [n] : [also, n]));
  return { id: p.id, kind: p.kind, re: p.re, needles: packed(needles), gate: p.gate ?? null };
}

const RULES: Gated<Rule> = gated(PATTERNS.map(rule), (p) => p.needles);

/**
 * Every pattern's matches, appended to `out` (returned); `present`: the
 * needles `text` holds (needles.ts).
 */
export function patternHits(text: string, present: Present, out: RawHit[] = []): RawHit[] {
  const list = candidates(RULES, present);
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (!passes(p.needles, present)) continue;
    if (p.gate !== null && !p.gate.test(text)) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      out.push({ rule: p.id, kind: p.kind, start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}
