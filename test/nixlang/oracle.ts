// The reference: real `nix-instantiate --parse` over many files. One process
// parses a whole batch; nix prints one line per file and stops at the first
// file it rejects, so the number of lines printed tells which file failed and
// the rest of the batch is simply run again. Two batches run at a time.
import { spawn } from 'node:child_process';
import { nixEnv } from '../helpers/nix.js';

/** `run` and `index`: which nix process parsed the file, and in what turn. */
export type Verdict = ({ ok: true; out: string } | { ok: false; error: string }) & {
  run: number;
  index: number;
};

let runs = 0;

function runBatch(
  files: string[],
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nix-instantiate', ['--parse', ...files], { env: nixEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

async function judge(files: string[], verdicts: Map<string, Verdict>): Promise<void> {
  let rest = files;
  while (rest.length > 0) {
    const res = await runBatch(rest);
    const run = runs++;
    // Each printed expression is one line (strings and names escape newlines).
    const lines = res.stdout.toString('latin1').split('\n');
    lines.pop();
    lines.forEach((out, i) => verdicts.set(rest[i]!, { ok: true, out, run, index: i }));
    if (res.code === 0) return;
    const failed = rest[lines.length];
    if (failed === undefined) throw new Error(`nix-instantiate failed oddly: ${res.stderr}`);
    verdicts.set(failed, { ok: false, error: res.stderr.trim(), run, index: lines.length });
    rest = rest.slice(lines.length + 1);
  }
}

/** Nix's verdict on each file (absolute paths). */
export async function nixParseMany(files: string[], batch = 400): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const chunks: string[][] = [];
  for (let i = 0; i < files.length; i += batch) chunks.push(files.slice(i, i + batch));
  const worker = async (): Promise<void> => {
    for (let c = chunks.shift(); c; c = chunks.shift()) await judge(c, verdicts);
  };
  await Promise.all([worker(), worker()]);
  return verdicts;
}

/**
 * Nix 2.8 orders lambda formals and `let` bindings by the address of each
 * interned name, which depends on allocation history rather than the source.
 * Sorting those two lists on both sides compares everything else exactly.
 */
export function canonicalOrder(printed: string): string {
  return canon(printed);
}

function closeOf(s: string, i: number): number {
  // Returns the index just past the group starting at i.
  const open = s[i]!;
  if (open === '"' && s[i + 1] === '$' && s[i + 2] === '{') return groupEnd(s, i + 3, '}"');
  if (open === '"') {
    let j = i + 1;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  return groupEnd(s, i + 1, open === '(' ? ')' : open === '[' ? ']' : '}');
}

function groupEnd(s: string, j: number, close: string): number {
  while (j < s.length) {
    if (s.startsWith(close, j)) return j + close.length;
    if ('([{"'.includes(s[j]!)) j = closeOf(s, j);
    else j++;
  }
  return s.length;
}

/** Split at top-level occurrences of `sep`. */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let from = 0;
  let j = 0;
  while (j < s.length) {
    if (s.startsWith(sep, j)) {
      parts.push(s.slice(from, j));
      j += sep.length;
      from = j;
    } else if ('([{"'.includes(s[j]!)) j = closeOf(s, j);
    else j++;
  }
  parts.push(s.slice(from));
  return parts;
}

function canon(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (!'([{"'.includes(c)) {
      out += c;
      i++;
      continue;
    }
    const end = closeOf(s, i);
    if (c === '"' && s[i + 1] !== '$') out += s.slice(i, end);
    else if (c === '"') out += `"\${${canon(s.slice(i + 3, end - 2))}}"`;
    else if (c === '{' && (s.startsWith(': ', end) || s.startsWith(' @ ', end))) {
      const items = splitTop(s.slice(i + 2, end - 2), ', ')
        .map(canon)
        .sort();
      out += `{ ${items.join(', ')} }`;
    } else if (c === '(' && s.startsWith('(let ', i)) {
      const inner = s.slice(i + 5, end - 1);
      const parts = inner.startsWith('in ') ? ['', inner.slice(3)] : splitTop(inner, ' in ');
      const head = parts[0]!;
      const body = parts.slice(1).join(' in ');
      const binds = splitTop(`${head} `, '; ')
        .filter((x) => x.trim() !== '')
        .map(canon)
        .sort();
      out += `(let ${binds.map((b) => `${b}; `).join('')}in ${canon(body)})`;
    } else {
      out += c + canon(s.slice(i + 1, end - 1)) + s[end - 1];
    }
    i = end;
  }
  return out;
}
