// `crossflake parse <file...>`: parse Nix files with crossflake's own parser
// and show diagnostics, the syntax tree as JSON, or the AST exactly as
// `nix-instantiate --parse` prints it, so anyone can compare the two.
import { lstat, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { EXIT, UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import { NixSymbols, parseNix, printNixParse, type SyntaxTree } from '../nixlang/index.js';
import { treeToJSON } from '../nixlang/json.js';
import { readAhead } from '../io/read-ahead.js';
import { streamEnvelope } from '../ui/json.js';
import spec from './spec.js';
import { trivia } from '../nixlang/print-source.js';
import { decode } from '../nixlang/source.js';
import { problemLines, unreadableMessage } from './check-file.js';

export interface ParsedFile {
  file: string;
  /** Directory relative paths in the file resolve against. */
  baseDir: string;
  tree: SyntaxTree;
}

type Mode = 'check' | 'json' | 'print-nix';

/** The --json data: one entry per file (streamed out, it can be huge). */
export function jsonOf(files: ParsedFile[]): { files: unknown[] } {
  const entries = files.map((f) => ({
    file: f.file,
    diagnostics: f.tree.diagnostics.map((d) => ({ ...d, message: decode(d.message) })),
    tree: treeToJSON(f.tree.root),
    trivia: trivia(f.tree),
  }));
  return { files: entries };
}

async function readStdin(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function unreadable(file: string, error: NodeJS.ErrnoException): UserError {
  return new UserError(unreadableMessage(file, error.code ?? error.message));
}

/**
 * Nix resolves relative paths against the directory of the file a symlink
 * points at: only a printed AST needs that, and only for a link.
 */
async function baseDirOf(path: string, mode: Mode): Promise<string> {
  if (mode !== 'print-nix') return dirname(path);
  const link = await lstat(path).then((s) => s.isSymbolicLink());
  return dirname(link ? await realpath(path) : path);
}

/** Parses every file, reading ahead while it parses, and hands each to `each` in order. */
async function parseAll(
  params: string[],
  io: Io,
  mode: Mode,
  pipes: boolean,
  each: (f: ParsedFile) => void,
): Promise<void> {
  const named = params.filter((p) => p !== '-').map((p) => resolve(io.cwd, p));
  const reads = readAhead(named);
  let k = 0;
  for (const file of params) {
    if (file === '-') {
      each({ file: '(stdin)', baseDir: io.cwd, tree: parseNix(await readStdin(io), { pipes }) });
      continue;
    }
    const path = named[k++]!;
    const read = (await reads.next()).value!;
    if (!read.ok) {
      await reads.return(undefined);
      throw unreadable(file, read.error);
    }
    const tree = parseNix(read.bytes, { pipes });
    each({ file, baseDir: await baseDirOf(path, mode), tree });
  }
}

const command: CommandModule = {
  ...spec,
  async handler(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
    if (params.length === 0) throw new UserError('name at least one .nix file (or - for stdin)');
    if (opts.json && opts['print-nix']) throw new UserError('choose one of --json and --print-nix');
    const mode: Mode = opts.json ? 'json' : opts['print-nix'] ? 'print-nix' : 'check';
    if (mode === 'check') {
      const { checkParams } = await import('./check-all.js');
      const { stderr, problems } = await checkParams(params, io, opts.pipes === true);
      if (problems === 0)
        io.stdout.write(
          `${params.length} file${params.length === 1 ? '' : 's'} parsed, no problems\n`,
        );
      io.stderr.write(stderr);
      return problems > 0 ? EXIT.failed : EXIT.ok;
    }
    // Only --json keeps the trees: --print-nix drops each file once it is
    // printed, which spares the collector thousands of live trees.
    const kept: ParsedFile[] = [];
    const printed: string[] = [];
    let stderr = '';
    let problems = 0;
    const symbols = new NixSymbols();
    const home = io.env.HOME ?? '/';
    await parseAll(params, io, mode, opts.pipes === true, (f) => {
      problems += f.tree.diagnostics.length;
      stderr += problemLines(f.file, f.tree);
      if (mode === 'json') kept.push(f);
      else if (mode === 'print-nix' && f.tree.diagnostics.length === 0)
        // Printed text is a byte string; as UTF-8 it is the bytes nix would print.
        printed.push(decode(`${printNixParse(f.tree, { basePath: f.baseDir, home, symbols })}\n`));
    });
    if (mode === 'json') {
      const message = stderr.trimEnd().split('\n').join('; ');
      const failure = problems > 0 ? { code: 'parse-errors', message } : undefined;
      await streamEnvelope(io, 'parse', jsonOf(kept), failure);
    } else io.stdout.write(printed.join(''));
    io.stderr.write(stderr);
    return problems > 0 ? EXIT.failed : EXIT.ok;
  },
};

export default command;
