// Fake secrets in the real formats of their providers, built at test time
// from a seeded generator: nothing here is a real credential, and no file
// holds a complete live-looking key (prefixes are split, bodies are random),
// so push protection has nothing to match in the repository.
import { Buffer } from 'node:buffer';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const B64URL = `${ALNUM}-_`;
const HEX = '0123456789abcdef';

/** mulberry32: the same corpus on every run. */
export function generator(seed: number): (alphabet: string, n: number) => string {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  };
}

/** A service account token's body: base64 of a JSON object, as 1Password issues them. */
function onePasswordBody(r: (alphabet: string, n: number) => string): string {
  let json = JSON.stringify({
    email: `${r(LOWER, 13)}@1passwordserviceaccounts.lcl`,
    secretKey: `A3-${r(UPPER + DIGITS, 6)}-${r(UPPER + DIGITS, 6)}-${r(UPPER + DIGITS, 5)}`,
    srpX: r(HEX, 64),
  });
  // A length of 1 modulo 3 makes the closing brace encode alone, as `fQ==`.
  while (json.length % 3 !== 1) json = `${json.slice(0, -1)} }`;
  return Buffer.from(json).toString('base64');
}

/** Joins parts: keeps every prefix out of the source as one literal. */
const j = (...parts: string[]): string => parts.join('');

export interface FakeSecret {
  provider: string;
  /** What the detector should see (may include the context a format needs, e.g. `PrivateKey = `). */
  text: string;
}

export function fakeSecrets(seed = 14): FakeSecret[] {
  const r = generator(seed);
  const b64 = (bytes: number): string => Buffer.from(r(ALNUM, bytes)).toString('base64');
  const b64url = (s: string): string => Buffer.from(s).toString('base64url');
  const openaiMark = j('T3Blbk', 'FJ');
  return [
    { provider: 'OpenAI', text: j('sk-', 'proj-', r(B64URL, 74), openaiMark, r(B64URL, 74)) },
    { provider: 'OpenAI', text: j('sk-', r(ALNUM, 20), openaiMark, r(ALNUM, 20)) },
    { provider: 'Anthropic', text: j('sk-', 'ant-', 'api03-', r(B64URL, 93), 'AA') },
    { provider: 'Google', text: j('AI', 'za', r(B64URL, 34), 'Q') },
    {
      provider: 'Tailscale',
      text: j('tskey-', 'auth-', 'k', r(ALNUM, 10), 'CNTRL-', r(ALNUM, 32)),
    },
    {
      provider: 'Tailscale',
      text: j('tskey-', 'client-', 'k', r(ALNUM, 10), 'CNTRL-', r(ALNUM, 32)),
    },
    {
      provider: 'Slack',
      text: j(
        'https://hooks.',
        'slack.com/services/T',
        r(UPPER + DIGITS, 8),
        '/B',
        r(UPPER + DIGITS, 10),
        '/',
        r(ALNUM, 24),
      ),
    },
    {
      provider: 'Slack',
      text: j('xo', 'xb-', r(DIGITS, 11), '-', r(DIGITS, 12), '-', r(ALNUM, 24)),
    },
    {
      provider: 'JWT',
      text: j(
        b64url('{"alg":"HS256","typ":"JWT"}'),
        '.',
        b64url(`{"sub":"${r(DIGITS, 10)}","name":"demo","iat":${r(DIGITS, 10)}}`),
        '.',
        r(B64URL, 43),
      ),
    },
    { provider: 'HTTP Basic', text: j('Authorization: ', 'Basic ', b64(18)) },
    { provider: 'HTTP Bearer', text: j('Authorization: ', 'Bearer ', r(ALNUM, 40)) },
    { provider: 'Stripe', text: j('sk', '_live_', r(ALNUM, 99)) },
    { provider: 'Stripe', text: j('rk', '_live_', r(ALNUM, 99)) },
    { provider: 'Stripe', text: j('wh', 'sec_', r(ALNUM, 32)) },
    { provider: 'GitHub', text: j('gh', 'p_', r(ALNUM, 36)) },
    { provider: 'GitHub', text: j('github', '_pat_', r(ALNUM, 22), '_', r(ALNUM, 59)) },
    { provider: 'GitLab', text: j('gl', 'pat-', r(B64URL, 20)) },
    { provider: 'npm', text: j('np', 'm_', r(ALNUM, 36)) },
    { provider: 'AWS', text: j('AK', 'IA', r(UPPER + DIGITS, 16)) },
    { provider: 'AWS', text: j('aws_secret_', 'access_key = ', r(`${ALNUM}/+`, 40)) },
    { provider: 'SendGrid', text: j('S', 'G.', r(`${ALNUM}_`, 22), '.', r(`${ALNUM}_`, 43)) },
    { provider: 'Shopify', text: j('shp', 'at_', r(HEX, 32)) },
    { provider: 'Hugging Face', text: j('h', 'f_', r(UPPER + LOWER, 34)) },
    { provider: 'Groq', text: j('gs', 'k_', r(ALNUM, 52)) },
    { provider: 'Linear', text: j('lin_', 'api_', r(ALNUM, 40)) },
    { provider: 'Notion', text: j('nt', 'n_', r(DIGITS, 11), r(ALNUM, 35)) },
    { provider: 'Grafana', text: j('gl', 'sa_', r(ALNUM, 32), '_', r(HEX, 8)) },
    { provider: '1Password', text: j('op', 's_', onePasswordBody(r)) },
    { provider: 'HashiCorp Vault', text: j('hv', 's.', r(B64URL, 95)) },
    { provider: 'Vercel', text: j('vc', 'p_', r(ALNUM, 40)) },
    { provider: 'Databricks', text: j('da', 'pi', r(HEX, 32)) },
    { provider: 'Docker', text: j('dckr', '_pat_', r(B64URL, 27)) },
    { provider: 'Figma', text: j('fi', 'gd_', r(B64URL, 40)) },
    { provider: 'DigitalOcean', text: j('do', 'p_v1_', r(HEX, 64)) },
    { provider: 'PyPI', text: j('pypi-', 'AgEIcHlwaS5vcmc', r(B64URL, 70)) },
    { provider: 'Telegram', text: j(r(DIGITS, 10), ':A', 'A', r(B64URL, 32), 'x') },
    { provider: 'Doppler', text: j('dp', '.st.', r(ALNUM, 42)) },
    {
      provider: 'Discord',
      text: j('https://discord.com/api/', 'webhooks/', r(DIGITS, 18), '/', r(B64URL, 67), 'x'),
    },
    { provider: 'Twilio', text: j('S', 'K', r(HEX, 32)) },
    { provider: 'Azure', text: j('AccountName=demo;Account', 'Key=', b64(64)) },
    { provider: 'age', text: j('AGE-SECRET-', 'KEY-1', r(UPPER + DIGITS, 58)) },
    { provider: 'WireGuard', text: j('Private', 'Key = ', b64(32)) },
    {
      provider: 'PEM private key',
      text: j(
        '-----BEGIN ',
        'RSA PRIVATE KEY-----\\n',
        'MII',
        r(`${ALNUM}+/`, 120),
        '\\n-----END RSA PRIVATE KEY-----',
      ),
    },
    { provider: 'PostgreSQL', text: j('postgresql://app:', r(ALNUM, 16), '@db.internal:5432/app') },
    { provider: 'Redis', text: j('redis://default:', r(ALNUM, 16), '@cache.internal:6379/0') },
    { provider: 'Unix password hash', text: j('$', '6$', r(ALNUM, 16), '$', r(`${ALNUM}./`, 86)) },
    {
      provider: 'sops',
      text: j('ENC[', 'AES256_GCM,data:', b64(18), ',iv:', b64(24), ',type:str]'),
    },
    { provider: 'npm registry', text: j('//registry.npmjs.org/:_auth', 'Token=', r(ALNUM, 36)) },
    {
      provider: 'PostgreSQL role',
      text: j("CREATE ROLE app WITH LOGIN PASSWORD '", r(ALNUM, 16), "'"),
    },
    { provider: 'generic (entropy)', text: j('deploy_signing_', 'key: ', r(ALNUM, 32)) },
  ];
}

/** Three places a secret sits in a configuration: a Nix string, a multi-line text, an env line. */
export function placements(secret: string): { where: string; text: string }[] {
  return [
    { where: 'Nix string', text: `{ services.demo.setting = "${secret}"; }\n` },
    {
      where: 'multi-line text',
      text: `{\n  environment.etc."demo.conf".text = ''\n    # demo\n    value ${secret}\n    mode = fast\n  '';\n}\n`,
    },
    { where: 'env-style line', text: `DEMO_SETTING="${secret}"\nOTHER=1\n` },
  ];
}

/** Random-looking values that are public or are not secrets at all. */
export function lookAlikes(seed = 41): { what: string; text: string }[] {
  const r = generator(seed);
  const nix32 = '0123456789abcdfghijklmnpqrsvwxyz';
  const b64 = (n: number): string => Buffer.from(r(ALNUM, n)).toString('base64');
  const uuid = `${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`;
  return [
    { what: 'sha256 hex', text: `sha256 = "${r(HEX, 64)}";` },
    { what: 'sha256 nix32', text: `sha256 = "${r(nix32, 52)}";` },
    { what: 'SRI hash', text: `hash = "sha256-${b64(32)}";` },
    { what: 'vendorHash', text: `vendorHash = "sha256-${b64(32)}";` },
    { what: 'narHash in flake.lock', text: `"narHash": "sha256-${b64(32)}",` },
    { what: 'git rev', text: `rev = "${r(HEX, 40)}";` },
    { what: 'UUID', text: `fileSystems."/".device = "/dev/disk/by-uuid/${uuid}";` },
    { what: 'UUID value', text: `uuid = "${uuid}";` },
    {
      what: 'ssh ed25519 public key',
      text: `openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(24)} demo-key" ];`,
    },
    {
      what: 'ssh rsa public key',
      text: `hostKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${b64(200)}";`,
    },
    {
      what: 'age public key',
      text: `services.demo.recipient = "age1${r('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}";`,
    },
    { what: 'WireGuard public key', text: `peers = [ { publicKey = "${b64(32)}"; } ];` },
    {
      what: 'nix store path',
      text: `ExecStart = "/nix/store/${r(nix32, 32)}-hello-2.12.1/bin/hello";`,
    },
    {
      what: 'store path under a key name',
      text: `keyFile = "/nix/store/${r(nix32, 32)}-demo-key";`,
    },
    { what: 'GnuPG key id', text: `signingKey = "0x${r(HEX.toUpperCase(), 16)}";` },
    { what: 'password file path', text: `passwordFile = "/run/keys/demo";` },
    { what: 'env reference', text: `API_TOKEN=$API_TOKEN_FROM_VAULT` },
    { what: 'interpolated header', text: 'Authorization: Bearer ${token}' },
    { what: 'plain words under a key name', text: `key = "enable-feature-flags";` },
    { what: 'substituter public key', text: `trusted-public-keys = cache.nixos.org-1:${b64(32)}` },
  ];
}

/** A placement as a .nix file: an env-style line becomes a shell snippet in the configuration. */
export function asNix(where: string, text: string): string {
  return where === 'env-style line'
    ? `{\n  environment.extraInit = ''\n    ${text.trimEnd().split('\n').join('\n    ')}\n  '';\n}\n`
    : text;
}
