// `crossflake parse <file...>`: parse Nix files with crossflake's own parser
// and show diagnostics, the syntax tree as JSON, or the AST exactly as
// `nix-instantiate --parse` prints it, so anyone can compare the two.
import { readFile, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { EXIT, UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import { NixSymbols, parseNix, printNixParse, type SyntaxTree } from '../nixlang/index.js';
import { treeToJSON } from '../nixlang/json.js';
import { writeJson, type Sink } from '../ui/json-stream.js';
import { trivia } from '../nixlang/print-source.js';
import { decode } from '../nixlang/source.js';

export interface ParsedFile {
  file: string;
  /** Directory relative paths in the file resolve against. */
  baseDir: string;
  tree: SyntaxTree;
}

type Mode = 'check' | 'json' | 'print-nix';

/** The --json document: one entry per file (streamed out by writeJson, it can be huge). */
export function jsonOf(files: ParsedFile[]): unknown {
  return files.map((f) => ({
    file: f.file,
    diagnostics: f.tree.diagnostics.map((d) => ({ ...d, message: decode(d.message) })),
    tree: treeToJSON(f.tree.root),
    trivia: trivia(f.tree),
  }));
}

/** What the command prints for parsed files (--json: only the diagnostics): pure, so tests need no files. */
export function render(
  files: ParsedFile[],
  mode: Mode,
  home: string,
): { stdout: string; stderr: string; code: number } {
  let stdout = '';
  let stderr = '';
  let problems = 0;
  for (const f of files) {
    for (const d of f.tree.diagnostics) {
      problems++;
      stderr += `${f.file}:${d.line}:${d.column}: error: ${decode(d.message)}\n`;
    }
  }
  if (mode === 'print-nix') {
    const symbols = new NixSymbols();
    for (const f of files) {
      if (f.tree.diagnostics.length > 0) continue;
      stdout += `${printNixParse(f.tree, { basePath: f.baseDir, home, symbols })}\n`;
    }
  } else if (mode === 'check' && problems === 0) {
    stdout = `${files.length} file${files.length === 1 ? '' : 's'} parsed, no problems\n`;
  }
  return { stdout, stderr, code: problems > 0 ? EXIT.failed : EXIT.ok };
}

async function readStdin(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function load(file: string, io: Io, pipes: boolean): Promise<ParsedFile> {
  if (file === '-') {
    return { file: '(stdin)', baseDir: io.cwd, tree: parseNix(await readStdin(io), { pipes }) };
  }
  const path = resolve(io.cwd, file);
  let bytes: Buffer;
  let real: string;
  try {
    real = await realpath(path);
    bytes = await readFile(real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'EISDIR'
        ? `${file} is a directory; name a .nix file`
        : `cannot read ${file} (${code ?? error})`,
    );
  }
  return { file, baseDir: dirname(real), tree: parseNix(bytes, { pipes }) };
}

const command: CommandModule = {
  commandNames: ['parse'],
  help: () =>
    [
      'Usage: crossflake parse <file...> [--json | --print-nix] [--pipes]',
      '',
      "Parse Nix files with crossflake's parser. Prints file:line:column for each",
      'problem and exits 1 if there is any. Use - to read standard input.',
      '',
      'Options:',
      '  --json       Print the syntax tree as JSON: nodes with byte offsets, and the',
      '               comments and whitespace between them as trivia',
      '  --print-nix  Print each AST the way `nix-instantiate --parse <file>` does',
      '  --pipes      Accept the |> and <| operators (not in Nix 2.8)',
      '',
    ].join('\n'),
  cliOptionsTypes: () => ({
    json: { type: 'boolean' },
    'print-nix': { type: 'boolean' },
    pipes: { type: 'boolean' },
  }),
  async handler(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
    if (params.length === 0) throw new UserError('name at least one .nix file (or - for stdin)');
    if (opts.json && opts['print-nix']) throw new UserError('choose one of --json and --print-nix');
    const mode: Mode = opts.json ? 'json' : opts['print-nix'] ? 'print-nix' : 'check';
    const files: ParsedFile[] = [];
    for (const file of params) files.push(await load(file, io, opts.pipes === true));
    const out = render(files, mode, io.env.HOME ?? '/');
    if (mode === 'json') await writeJson(jsonOf(files), io.stdout as Sink);
    // Printed text is a byte string; as UTF-8 it is the bytes nix would print.
    io.stdout.write(mode === 'print-nix' ? decode(out.stdout) : out.stdout);
    io.stderr.write(out.stderr);
    return out.code;
  },
};

export default command;
