// References to secrets kept elsewhere: sops-nix and agenix declarations
// (`sops.secrets.<name>`, `age.secrets.<name>.file`, key paths), options that
// name a file or command holding a secret (`passwordFile`, `authKeyFile`,
// `environmentFile`, `netrc-file`, `hostKeyPath`), and the places secrets are
// decrypted to (/run/secrets/..., /run/agenix/...). None of them is secret
// material: a module that only points at secrets can be shared, with the
// secret names and paths as its parameters.
import type { Evidence } from '../model.js';
import { constString, dotted, type FileContext, type OptionBinding } from '../context.js';
import { suggestOption } from '../options.js';
import { matches, offsetIn, type Rule } from './rule.js';

// Where a secret's own name sits: `sops.secrets.<name>`, `age.secrets.<name>`;
// anything under sops or age may be a reference (see check).
const NAMED = [
  ['sops', 'secrets'],
  ['age', 'secrets'],
];
// `passwordFile`, `authKeyFile`, `credentialsFile`, `environmentFile` ...:
// the option names a file that holds a secret; `passwordCommand` (mail
// accounts), borg's `passCommand` or spotifyd's `password_cmd` a command
// that prints one; Nix's `netrc-file` holds a binary cache's login.
const REFERENCE_NAMES =
  /^(?:[a-z_]*(?:password|passphrase|pass|psk|token|secret|key|auth|credentials?|netrc)[-_]?(?:File|Path|Command|cmd)s?|environmentFiles?|secretsFile|identityPaths|sshKeyPaths)$/i;
// Where sops-nix and agenix put decrypted secrets, and agenix's encrypted files.
// Two searches, each with the text it needs: a leading `[\w./-]*` would be
// tried at every character of every string.
const RUN_PATHS = /\/run\/(?:secrets|agenix)(?:\.d)?\/[^\s"'${}]*/g;
const AGE_FILES = /(?<![\w./-])[\w./-]+?\.age\b/g;
// Each with the text its matches hold (see matches).
const PATH_SEARCHES: [RegExp, string][] = [
  [RUN_PATHS, '/run/'],
  [AGE_FILES, '.age'],
];
const SELECT = /\bconfig\.(?:sops|age)\.secrets\b[\w."-]*/g;

const TEXT = 'uses secrets (reference)';

/**
 * Whether `name` may be one REFERENCE_NAMES takes: they all end in file,
 * path, command or cmd, with an optional `s`, in any case, so the letter
 * before that `s` is an e, an h or a d. One look at a character or two
 * turns most names away, where the pattern is tried at each of their
 * characters.
 */
export function mayNameReference(name: string): boolean {
  const n = name.length;
  // (Never a character before the first: optimised code that reads one starts over.)
  if (n < 2) return false;
  // A letter's two cases differ in bit 0x20 alone; no other character maps to one.
  let last = name.charCodeAt(n - 1) | 0x20;
  if (last === 0x73) last = name.charCodeAt(n - 2) | 0x20; // `s`
  return last === 0x65 || last === 0x68 || last === 0x64; // e, h, d
}

function referenceName(name: string): boolean {
  return mayNameReference(name) && REFERENCE_NAMES.test(name);
}

/** The literal a reference is set to (a path or a constant string), if any. */
function literal(ctx: FileContext, b: OptionBinding): string | null {
  let v = b.value;
  while (v?.type === 'Paren') v = v.expr;
  if (!v) return null;
  if (v.type === 'Path') return ctx.text(v);
  return constString(ctx, v);
}

function looksLikePath(value: string | null): boolean {
  return value !== null && /^(?:\.{0,2}\/|~\/)/.test(value);
}

function reference(ctx: FileContext, id: string, b: OptionBinding, declared: boolean): Evidence {
  const value = literal(ctx, b);
  const extra =
    // A declared option's default is already a parameter.
    value !== null && !declared
      ? { option: suggestOption('other', ctx.bindingAt(b.value!.start)), value }
      : {};
  return ctx.evidence(
    id,
    'reference',
    b.binding.start,
    b.binding.end,
    `${TEXT}: ${dotted(b.path)}`,
    extra,
  );
}

function secretName(ctx: FileContext, id: string, b: OptionBinding, at: string[]): Evidence | null {
  const name = b.path[at.length];
  // Report the name once, where the binding writes it (`sops.secrets.x = {` or `sops.secrets.x.mode =`).
  if (typeof name !== 'string' || b.own > at.length) return null;
  return ctx.evidence(id, 'reference', b.binding.start, b.binding.end, `${TEXT}: secret ${name}`, {
    option: `crossflake.personal.${at[0]}Secrets`,
    value: name,
  });
}

export const secretReferences: Rule = {
  id: 'secret-references',
  summary:
    'references to secrets: sops.secrets.<name>, age.secrets.<name>.file, key paths, passwordFile/tokenFile options, /run/secrets paths',
  check(ctx) {
    const out: Evidence[] = [];
    const seen = new Set<string>();
    // A binding counts only under sops or age, or with a reference's name:
    // each distinct name is asked once, and most files have none.
    const names = ctx.names;
    const some = names.has('sops') || names.has('age') || ctx.hasName(referenceName);
    const bindings = some ? ctx.options : [];
    // (A plain loop, and the roots compared by hand: it sees every binding of the file.)
    for (let k = 0; k < bindings.length; k++) {
      const b = bindings[k]!;
      const declared = b.path[0] === 'options';
      const path = declared ? b.path.slice(1) : b.path;
      const root = path[0] === 'sops' ? 0 : path[0] === 'age' ? 1 : -1;
      const named = root >= 0 && path[1] === 'secrets' && path.length > 2 ? NAMED[root] : undefined;
      if (named) {
        const e = secretName(ctx, this.id, b, declared ? ['options', ...named] : named);
        const key = e ? `${e.value}` : '';
        if (e && !seen.has(key)) {
          seen.add(key);
          out.push(e);
        }
      }
      if (b.value === null || b.value.type === 'Attrs') continue;
      const last = path[path.length - 1];
      // Under sops/age a path is a key or an encrypted file; `owner`, `mode` are settings.
      const rooted = root >= 0 && looksLikePath(literal(ctx, b));
      if (rooted || (last && referenceName(last))) out.push(reference(ctx, this.id, b, declared));
    }
    // (Each search's matches in turn: no array of both made for every file.)
    for (const [re, needle] of PATH_SEARCHES) {
      for (const [piece, m] of matches(ctx, re, ['string', 'path'], needle)) {
        const start = offsetIn(piece, m.index);
        const end = offsetIn(piece, m.index + m[0].length);
        out.push(ctx.evidence(this.id, 'reference', start, end, `${TEXT}: ${m[0]}`));
      }
    }
    const src = ctx.tree.source;
    // `crets`, not `.secrets`: a search for a text is as fast as its first
    // character is rare, and `.` is everywhere in Nix (a third of the time).
    if (src.includes('crets')) {
      SELECT.lastIndex = 0;
      for (let m = SELECT.exec(src); m; m = SELECT.exec(src))
        out.push(
          ctx.evidence(this.id, 'reference', m.index, m.index + m[0].length, `${TEXT}: ${m[0]}`),
        );
    }
    return out;
  },
};
