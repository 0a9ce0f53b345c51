// Builds the command table and dispatches; nothing else. Each command's code
// is loaded only when it runs, so `crossflake --version` stays near bare Node.
import { parseArgs } from 'node:util';
import { describeFailure, EXIT, UserError, type CommandModule, type Io } from './command.js';
import { checkArgv, extraPositional, givenJson, splitDebug, type Arity } from './args.js';
import { writeEnvelope } from './ui/json.js';
import pkg from '../package.json' with { type: 'json' };

interface Entry {
  name: string;
  summary: string;
  /** The positional arguments it takes, checked here once for every command. */
  arity: Arity;
  load: () => Promise<CommandModule>;
}

const commands: Entry[] = [
  // One entry per command; summaries live here so --help loads no command code.
  {
    name: 'doctor',
    arity: 0,
    summary: 'Find your platform row, check the host and say how to fix what is missing',
    load: async () => (await import('./doctor/command.js')).default,
  },
  {
    name: 'advise',
    arity: 0,
    summary: 'Decide between a dev shell and a NixOS VM for your job, with next commands',
    load: async () => (await import('./advise/command.js')).default,
  },
  {
    name: 'init',
    arity: 2,
    summary: 'Make a configuration from a template (wsl-nixos, wsl-home, darwin, bare-metal, team)',
    load: async () => (await import('./init/command.js')).default,
  },
  {
    name: 'images',
    arity: { plan: 0, build: 0, copy: 0, release: 0, merge: Infinity, fetch: 1 },
    summary: 'Plan, build, cache and release the image matrix (WSL, qcow2, ISO, ...)',
    load: async () => (await import('./images/command.js')).default,
  },
  {
    name: 'onboard',
    arity: { wsl: 0, macos: 0, linux: 0 },
    summary:
      'Take a fresh machine to a working config: WSL image import, or Nix + template on macOS/Linux',
    load: async () => (await import('./onboard/command.js')).default,
  },
  {
    name: 'ci',
    arity: { generate: 0, check: 0, run: 0 },
    summary: 'Generate or check multi-platform CI workflows from the support matrix',
    load: async () => (await import('./ci/command.js')).default,
  },
  {
    name: 'extract',
    arity: { analyze: 1, plan: 1, apply: 1 },
    summary: 'Find what is shareable in a personal Nix config and move it, one module at a time',
    load: async () => (await import('./extract/command.js')).default,
  },
  {
    name: 'docs',
    arity: { generate: 0, check: 0, lint: Infinity },
    summary:
      'Generate PLATFORMS.md and EXPORTS.md, check them for drift, lint docs against the code',
    load: async () => (await import('./docs/command.js')).default,
  },
  {
    name: 'check',
    arity: 0,
    summary:
      'Run flake evaluation, template tests, docs and CI checks and a leak scan, with a summary',
    load: async () => (await import('./check/command.js')).default,
  },
  {
    name: 'vm',
    arity: { list: 0, run: 1, test: 1 },
    summary: "List, boot and smoke-test the flake's NixOS VMs with this host's accelerator",
    load: async () => (await import('./vm/command.js')).default,
  },
  {
    name: 'parse',
    arity: Infinity,
    summary: "Parse Nix files; show problems, the syntax tree, or Nix's own AST print",
    load: async () => (await import('./parse/command.js')).default,
  },
];

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `crossflake ${pkg.version}: one Nix configuration for Linux, WSL2 and macOS`,
    '',
    'Usage: crossflake <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     Show help (also: crossflake <command> --help)',
    '  -V, --version  Print the version',
    '      --debug    Show the stack trace of every error (also: CROSSFLAKE_DEBUG=1)',
    '',
  ].join('\n');
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { args, debug: debugFlag } = splitDebug(argv);
  const debug = debugFlag || Boolean(io.env.CROSSFLAKE_DEBUG);
  const [first, ...rest] = args;
  const bad = checkArgv(args);
  if (bad) {
    io.stderr.write(`crossflake${first && !first.startsWith('-') ? ` ${first}` : ''}: ${bad}\n`);
    return EXIT.usage;
  }
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const target = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(target ? (await target.load()).help() : mainHelp());
    return EXIT.ok;
  }
  if (first === '-V' || first === '--version') {
    io.stdout.write(`${pkg.version}\n`);
    return EXIT.ok;
  }
  const json = givenJson(rest);
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    const message = `unknown command '${first}'. Run 'crossflake --help' for the list.`;
    if (json) writeEnvelope(io, 'cli', {}, { code: 'usage', message });
    else io.stderr.write(`crossflake: ${message}\n`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    const parsed = parseArgs({
      args: rest,
      options: { help: { type: 'boolean', short: 'h' }, ...command.cliOptionsTypes() },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      io.stdout.write(command.help());
      return EXIT.ok;
    }
    const extra = extraPositional(entry.arity, parsed.positionals);
    if (extra) throw new UserError(extra);
    return await command.handler(parsed.values, parsed.positionals, io);
  } catch (error) {
    return reportError(error, entry.name, io, { debug, json });
  }
}

/**
 * The one place a failed command is reported: one line on stderr, or with
 * --json the envelope with `error` on stdout (the stack, when wanted or for a
 * bug, still goes to stderr, where it does not break the JSON).
 */
function reportError(
  error: unknown,
  name: string,
  io: Io,
  how: { debug: boolean; json: boolean },
): number {
  const failure = describeFailure(error);
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (failure.kind === 'bug') {
    const message = 'internal error (a bug; please report it)';
    if (how.json) writeEnvelope(io, name, {}, { code: failure.code, message });
    io.stderr.write(`crossflake ${name}: ${message}: ${stack}\n`);
    return 70;
  }
  const hint = failure.kind === 'usage' ? ` (see 'crossflake ${name} --help')` : '';
  if (how.json)
    writeEnvelope(io, name, {}, { code: failure.code, message: failure.message + hint });
  else io.stderr.write(`crossflake ${name}: ${failure.message}${hint}\n`);
  if (how.debug) io.stderr.write(`${stack}\n`);
  return failure.exitCode;
}
