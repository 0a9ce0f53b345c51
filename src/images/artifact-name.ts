// The one grammar for artifact file names, shared by build, merge, fetch and
// release: a name from a manifest, a SHA256SUMS line or a server becomes a
// file name on disk and a line in SHA256SUMS, so anything that could walk a
// path, forge a line, hide in a terminal or take the place of the release's
// own files is refused here. Pure.
import { TEMP_MARK } from '../io/files.js';
import { printable } from '../ui/printable.js';

const GRAMMAR = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const MAX_LENGTH = 255;

/** The release's own files: an artifact may never be called like one (any case). */
export const RESERVED_NAMES: readonly string[] = [
  'SHA256SUMS',
  'manifest.json',
  'release.json',
  'RELEASE-NOTES.md',
  'logs',
  '.crossflake.lock',
];
const RESERVED = new Set(RESERVED_NAMES.map((n) => n.toLowerCase()));

/** Why `name` is not an artifact file name, or null when it is one. */
export function artifactNameProblem(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_LENGTH) return `it is longer than ${MAX_LENGTH} characters`;
  if (!GRAMMAR.test(name))
    return 'it must start with a letter or digit and hold only letters, digits and . _ + -';
  if (name.includes('..')) return "it contains '..'";
  if (name.includes(TEMP_MARK)) return `it contains crossflake's temp-file mark ${TEMP_MARK}`;
  if (RESERVED.has(name.toLowerCase())) return "it is the name of one of the release's own files";
  return null;
}

export function isArtifactName(name: string): boolean {
  return artifactNameProblem(name) === null;
}

/** A refusal that names the (printable) file name and why. */
export function describeBadName(name: string): string {
  return `'${printable(name)}' is not an artifact file name: ${artifactNameProblem(name) ?? 'ok'}`;
}

export class Sha256SumsError extends Error {
  constructor(
    /** 1-based line number in the SHA256SUMS text. */
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'Sha256SumsError';
  }
}

const SUMS_LINE = /^([0-9a-fA-F]{64}) [ *](.*)$/;

/**
 * `sha256sum` output ("<64 hex>  <name>", or " *<name>" in binary mode) as a
 * map from file name to lower-case hex. Every name must follow the grammar,
 * and a name listed twice is refused (even with the same hash): a forged or
 * doubled line must not decide what is trusted.
 */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const m = SUMS_LINE.exec(line);
    if (!m) throw new Sha256SumsError(i + 1, 'not a "<sha256>  <file>" line');
    const [, hex, name] = m as unknown as [string, string, string];
    if (!isArtifactName(name)) throw new Sha256SumsError(i + 1, describeBadName(name));
    if (sums.has(name)) throw new Sha256SumsError(i + 1, `'${name}' is listed more than once`);
    sums.set(name, hex.toLowerCase());
  });
  return sums;
}

/** `sha256sum -c` format, sorted by name; refuses any name outside the grammar. */
export function renderSha256Sums(entries: readonly { file: string; sha256: string }[]): string {
  const seen = new Set<string>();
  for (const e of entries) {
    if (!isArtifactName(e.file)) throw new Error(describeBadName(e.file));
    if (!/^[0-9a-f]{64}$/.test(e.sha256)) throw new Error(`${e.file}: sha256 is not 64 hex digits`);
    if (seen.has(e.file)) throw new Error(`${e.file} is listed twice`);
    seen.add(e.file);
  }
  return [...entries]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.file}\n`)
    .join('');
}
