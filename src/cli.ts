// Builds the command table and dispatches; nothing else. Each command's code
// is loaded only when it runs, so `crossflake --version` stays near bare Node,
// and its help and option types come from its small spec.ts, so
// `crossflake <command> --help` does not load the handler either.
import { parseArgs } from 'node:util';
import {
  describeFailure,
  EXIT,
  UserError,
  type CommandModule,
  type CommandSpec,
  type Io,
  type OptionsConfig,
  type ParsedOptions,
} from './command.js';
import {
  checkArgv,
  extraPositional,
  givenJson,
  optionProblem,
  renameOptions,
  splitGlobals,
  type Arity,
} from './args.js';
import { subcommandHelp } from './help.js';
import { didYouMean } from './suggest.js';
import { writeEnvelope } from './ui/json.js';
import pkg from '../package.json' with { type: 'json' };

interface Entry {
  name: string;
  summary: string;
  /** The positional arguments it takes, checked here once for every command. */
  arity: Arity;
  /** Help, option types and renamed options: no handler code. */
  spec: () => Promise<CommandSpec>;
  /** The whole command, loaded only to run it. */
  load: () => Promise<CommandModule>;
}

const commands: Entry[] = [
  // One entry per command; summaries live here so --help loads no command code.
  {
    name: 'doctor',
    arity: 0,
    summary: 'Find your platform row, check the host and say how to fix what is missing',
    spec: async () => (await import('./doctor/spec.js')).default,
    load: async () => (await import('./doctor/command.js')).default,
  },
  {
    name: 'advise',
    arity: 0,
    summary: 'Decide between a dev shell and a NixOS VM for your job, with next commands',
    spec: async () => (await import('./advise/spec.js')).default,
    load: async () => (await import('./advise/command.js')).default,
  },
  {
    name: 'init',
    arity: 2,
    summary: 'Make a configuration from a template (wsl-nixos, wsl-home, darwin, bare-metal, team)',
    spec: async () => (await import('./init/spec.js')).default,
    load: async () => (await import('./init/command.js')).default,
  },
  {
    name: 'images',
    arity: { plan: 0, build: 0, copy: 0, release: 0, merge: Infinity, fetch: 1 },
    summary: 'Plan, build, cache and release the image matrix (WSL, qcow2, ISO, ...)',
    // images' command.ts is itself thin: its handler imports the work lazily.
    spec: async () => (await import('./images/command.js')).default,
    load: async () => (await import('./images/command.js')).default,
  },
  {
    name: 'onboard',
    arity: { wsl: 0, macos: 0, linux: 0 },
    summary:
      'Take a fresh machine to a working config: WSL image import, or Nix + template on macOS/Linux',
    spec: async () => (await import('./onboard/spec.js')).default,
    load: async () => (await import('./onboard/command.js')).default,
  },
  {
    name: 'ci',
    arity: { generate: 0, check: 0, run: 0 },
    summary: 'Generate or check multi-platform CI workflows from the support matrix',
    spec: async () => (await import('./ci/spec.js')).default,
    load: async () => (await import('./ci/command.js')).default,
  },
  {
    name: 'extract',
    arity: { analyze: 1, plan: 1, apply: 1 },
    summary: 'Find what is shareable in a personal Nix config and move it, one module at a time',
    spec: async () => (await import('./extract/spec.js')).default,
    load: async () => (await import('./extract/command.js')).default,
  },
  {
    name: 'docs',
    arity: { generate: 0, check: 0, lint: Infinity },
    summary:
      'Generate PLATFORMS.md and EXPORTS.md, check them for drift, lint docs against the code',
    spec: async () => (await import('./docs/spec.js')).default,
    load: async () => (await import('./docs/command.js')).default,
  },
  {
    name: 'check',
    arity: 0,
    summary:
      'Run flake evaluation, template tests, docs and CI checks and a leak scan, with a summary',
    spec: async () => (await import('./check/spec.js')).default,
    load: async () => (await import('./check/command.js')).default,
  },
  {
    name: 'vm',
    arity: { list: 0, run: 1, test: 1 },
    summary: "List, boot and smoke-test the flake's NixOS VMs with this host's accelerator",
    spec: async () => (await import('./vm/spec.js')).default,
    load: async () => (await import('./vm/command.js')).default,
  },
  {
    name: 'parse',
    arity: Infinity,
    summary: "Parse Nix files; show problems, the syntax tree, or Nix's own AST print",
    spec: async () => (await import('./parse/spec.js')).default,
    load: async () => (await import('./parse/command.js')).default,
  },
  {
    name: 'completion',
    arity: 1,
    summary: 'Print the shell completion script for bash, zsh, fish or PowerShell',
    spec: async () => (await import('./completion/command.js')).completionCommand(commands),
    load: async () => (await import('./completion/command.js')).completionCommand(commands),
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
    '      --verbose  Show more of what a command does (images build: the Nix build log)',
    '      --color=WHEN  Colour the output: auto (default), always or never',
    '',
    "Run 'crossflake help <command> [<subcommand>]' for one command's options.",
    '',
  ].join('\n');
}

/** The subcommands of a command, from its arity (none for a command without). */
function subcommandsOf(entry: Entry): string[] {
  return typeof entry.arity === 'number' ? [] : Object.keys(entry.arity);
}

const GLOBAL_OPTIONS = ['help', 'version', 'debug', 'verbose', 'color'];

/** A mistake in the command line itself: one line naming the fix, exit 2. */
function usageError(message: string): UserError {
  return new UserError(message, EXIT.usage, 'usage');
}

function unknownCommand(name: string): UserError {
  if (name.startsWith('-')) {
    const flag = name.replace(/^-+/, '').replace(/=.*$/, '');
    return usageError(`unknown option '${name}'${didYouMean(flag, GLOBAL_OPTIONS, '--')}`);
  }
  const names = commands.map((c) => c.name);
  return usageError(`unknown command '${name}'${didYouMean(name, names)}`);
}

/** The subcommand named, or a usage error that says which there are. */
function pickSubcommand(entry: Entry, sub: string | undefined): string {
  const subs = subcommandsOf(entry);
  if (sub === undefined) throw usageError(`missing subcommand; choose one of ${subs.join(', ')}`);
  if (!subs.includes(sub))
    throw usageError(
      `unknown subcommand '${sub}' (one of ${subs.join(', ')})${didYouMean(sub, subs)}`,
    );
  return sub;
}

/** The help of a command, or of one of its subcommands. */
async function helpOf(entry: Entry, sub: string | undefined): Promise<string> {
  const command = await entry.spec();
  if (sub === undefined) return command.help();
  const options = command.subcommandOptions?.[pickSubcommand(entry, sub)] ?? [];
  return subcommandHelp(command.help(), entry.name, sub, options);
}

/** `crossflake help [<command> [<subcommand>]]`. */
async function helpCommand(names: string[], io: Io): Promise<number> {
  const [name, sub, extra] = names;
  if (name === undefined) {
    io.stdout.write(mainHelp());
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) throw unknownCommand(name);
  if (extra !== undefined) throw usageError(`unexpected argument '${extra}'`);
  io.stdout.write(await helpOf(entry, subcommandsOf(entry).length > 0 ? sub : undefined));
  return EXIT.ok;
}

/** Whether the global --version stands in a command's arguments (one that has no --version of its own). */
function asksVersion(rest: readonly string[], command: CommandSpec): boolean {
  const end = rest.indexOf('--');
  const head = end === -1 ? rest : rest.slice(0, end);
  return !('version' in command.cliOptionsTypes()) && head.some((a) => a === '--version');
}

/** `base` with the global flags; copied by descriptors, so a lazy `stdin` getter stays lazy. */
function withFlags(base: Io, flags: NonNullable<Io['flags']>): Io {
  const io = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as Io;
  io.flags = flags;
  return io;
}

export async function run(argv: string[], baseIo: Io): Promise<number> {
  const globals = splitGlobals(argv);
  const { args } = globals;
  const debug = globals.flags.debug || Boolean(baseIo.env.CROSSFLAKE_DEBUG);
  const io = withFlags(baseIo, { ...globals.flags, debug });
  const [first, ...rest] = args;
  const json = givenJson(args);
  const bad = checkArgv(args) ?? globals.problem;
  try {
    if (bad) throw usageError(bad);
    if (first === undefined || first === '-h' || first === '--help')
      return await helpCommand([], io);
    if (first === 'help') return await helpCommand(rest, io);
    if (first === '-V' || first === '--version') {
      io.stdout.write(`${pkg.version}\n`);
      return EXIT.ok;
    }
    const entry = commands.find((c) => c.name === first);
    if (!entry) throw unknownCommand(first);
    return await runCommand(entry, rest, io);
  } catch (error) {
    const entry = commands.find((c) => c.name === first);
    const sub = entry && subcommandsOf(entry).includes(rest[0] ?? '') ? ` ${rest[0]}` : '';
    const name = entry ? `${entry.name}${sub}` : 'crossflake';
    return reportError(error, name, io, { debug, json, schema: entry?.name ?? 'cli' });
  }
}

/**
 * The command's options, parsed once. Node's strict parse refuses every
 * argument list optionProblem finds fault with (test/cli/parse-once.test.ts),
 * so the friendlier one-line reading is made only when it has refused: a run
 * with good options parses them once, not twice.
 */
function parseStrict(
  args: string[],
  options: OptionsConfig,
): { values: ParsedOptions; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    // Each value has its option's own type: a string list is never mixed.
    return { values: values as ParsedOptions, positionals };
  } catch (error) {
    const problem = optionProblem(args, options);
    if (problem) throw usageError(problem);
    throw error;
  }
}

async function runCommand(entry: Entry, given: string[], io: Io): Promise<number> {
  const command = await entry.spec();
  const { args: rest, notices } = renameOptions(given, command.renamedOptions ?? {});
  for (const notice of notices) io.stderr.write(`crossflake ${entry.name}: ${notice}\n`);
  if (asksVersion(rest, command)) {
    io.stdout.write(`${pkg.version}\n`);
    return EXIT.ok;
  }
  const options = { help: { type: 'boolean', short: 'h' }, ...command.cliOptionsTypes() } as const;
  const parsed = parseStrict(rest, options);
  const hasSubs = subcommandsOf(entry).length > 0;
  if (parsed.values.help) {
    io.stdout.write(await helpOf(entry, hasSubs ? parsed.positionals[0] : undefined));
    return EXIT.ok;
  }
  if (hasSubs) pickSubcommand(entry, parsed.positionals[0]);
  const extra = extraPositional(entry.arity, parsed.positionals);
  if (extra) throw new UserError(extra);
  return await (await entry.load()).handler(parsed.values, parsed.positionals, io);
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
  how: { debug: boolean; json: boolean; schema: string },
): number {
  const failure = describeFailure(error);
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (failure.kind === 'bug') {
    const message = 'internal error (a bug; please report it)';
    if (how.json) writeEnvelope(io, how.schema, {}, { code: failure.code, message });
    io.stderr.write(`crossflake ${name}: ${message}: ${stack}\n`);
    return 70;
  }
  const help = name === 'crossflake' ? 'crossflake --help' : `crossflake ${name} --help`;
  const hint = failure.code === 'usage' ? ` (see '${help}')` : '';
  const message = `${failure.message}${hint}`;
  if (how.json) writeEnvelope(io, how.schema, {}, { code: failure.code, message });
  else
    io.stderr.write(`${name === 'crossflake' ? 'crossflake' : `crossflake ${name}`}: ${message}\n`);
  if (how.debug) io.stderr.write(`${stack}\n`);
  return failure.exitCode;
}
