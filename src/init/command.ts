// `crossflake init`: make a configuration from a parameterised template.
// Templates ship inside the npm package, so this works offline and without
// Nix; only --test needs nix-instantiate.
import { quotePosix } from '../ui/shell-quote.js';
import { relative, resolve } from 'node:path';
import { EXIT, UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import type { HostFacts } from '../io/host/index.js';
import { deriveDefaults, sourcesNeeded, type GitIdentity } from '../templates/defaults.js';
import {
  embeddedTemplatesDir,
  loadAll,
  loadTemplate,
  templateNames,
  TemplateError,
} from '../templates/load.js';
import { askMissing, PromptClosed } from '../templates/prompt.js';
import { render, renderNextCommands } from '../templates/render.js';
import { checkAll, missingMessage, missingParams, parseParamArgs } from '../templates/validate.js';
import { TargetError, writeTree } from '../templates/write.js';
import type { ParamValues, Template } from '../templates/types.js';
import { writeEnvelope, type JsonFailure } from '../ui/json.js';
import spec from './spec.js';

function templatesDir(opts: ParsedOptions, io: Io): string {
  const dir = opts['templates-dir'];
  return typeof dir === 'string' ? resolve(io.cwd, dir) : embeddedTemplatesDir();
}

function json(io: Io, value: object, failure?: JsonFailure): void {
  writeEnvelope(io, 'init', value, failure);
}

async function list(root: string, opts: ParsedOptions, io: Io): Promise<number> {
  const templates = await loadAll(root);
  if (opts.json) {
    json(io, {
      templates: templates.map(({ spec }) => ({
        name: spec.name,
        description: spec.description,
        platformRows: spec.platformRows,
        parameters: spec.parameters.map((p) => ({
          name: p.name,
          type: p.type,
          ...(p.default === undefined ? { required: true } : { default: p.default }),
          description: p.description,
          rule: p.rule,
          ...(p.choices ? { choices: p.choices } : {}),
          ...(p.defaultFrom ? { defaultFrom: p.defaultFrom } : {}),
        })),
      })),
    });
    return EXIT.ok;
  }
  const width = Math.max(...templates.map((t) => t.spec.name.length));
  for (const { spec } of templates) {
    io.stdout.write(`${spec.name.padEnd(width)}  ${spec.description}\n`);
    io.stdout.write(
      `${' '.repeat(width)}  parameters: ${spec.parameters.map((p) => p.name).join(', ')}\n`,
    );
  }
  return EXIT.ok;
}

async function selfTestCommand(root: string, opts: ParsedOptions, io: Io): Promise<number> {
  // Loaded here, not with the command: only --test runs Nix and reads findings.
  const [{ nixInstantiateParser, ParserMissing, selfTest }, { formatFinding }] = await Promise.all([
    import('../templates/selftest.js'),
    import('../templates/check.js'),
  ]);
  const templates = await loadAll(root);
  let results;
  try {
    results = await selfTest(templates, nixInstantiateParser(io.env), (r) => {
      const status = r.findings.length === 0 ? 'ok' : `FAILED (${r.findings.length})`;
      io.stderr.write(
        `init --test: ${r.template} sample ${r.sample}: ${r.files} files ${status}\n`,
      );
    });
  } catch (error) {
    if (error instanceof ParserMissing) throw new UserError(error.message, EXIT.failed);
    throw error;
  }
  const failed = results.filter((r) => r.findings.length > 0);
  if (opts.json) {
    const failure = {
      code: 'test-failed',
      message: `failed: ${failed.map((r) => `${r.template} sample ${r.sample}`).join(', ')}`,
    };
    json(io, { results }, failed.length === 0 ? undefined : failure);
  } else {
    for (const r of failed) {
      for (const f of r.findings)
        io.stdout.write(`${r.template} sample ${r.sample}: ${formatFinding(f)}\n`);
    }
    io.stdout.write(
      `${results.length - failed.length}/${results.length} template instances passed` +
        ` (${templates.length} templates).\n`,
    );
  }
  return failed.length === 0 ? EXIT.ok : EXIT.failed;
}

// Doctor's probes, with a short limit: defaults are a convenience, and a
// probe that hangs must not hold up init.
async function hostFacts(env: NodeJS.ProcessEnv): Promise<HostFacts | null> {
  try {
    const { collectFacts } = await import('../io/host/index.js');
    return await collectFacts({ env, timeoutMs: 3_000 });
  } catch {
    return null;
  }
}

// io/proc.js (node:child_process) is loaded only when git runs: with every
// parameter given and no --git, init starts no process.
async function gitIdentity(env: NodeJS.ProcessEnv): Promise<GitIdentity> {
  const { run } = await import('../io/proc.js');
  const get = async (key: string): Promise<string | null> => {
    const result = await run('git', ['config', '--get', key], { env, timeoutMs: 5_000 });
    const value = result.code === 0 ? result.stdout.toString('utf8').trim() : '';
    return value === '' ? null : value;
  };
  const [name, email] = await Promise.all([get('user.name'), get('user.email')]);
  return { name, email };
}

async function pickTemplate(root: string, name: string | undefined): Promise<Template> {
  const names = await templateNames(root);
  if (name === undefined) {
    throw new UserError(`which template? One of: ${names.join(', ')} (crossflake init --list)`);
  }
  if (!names.includes(name)) {
    throw new UserError(`no template '${name}'; there are: ${names.join(', ')}`);
  }
  return loadTemplate(resolve(root, name));
}

function givenValues(template: Template, opts: ParsedOptions): ParamValues {
  let given: ParamValues;
  try {
    given = parseParamArgs((opts.param as string[] | undefined) ?? []);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  if (typeof opts.flake === 'string') {
    if (!template.spec.parameters.some((p) => p.name === 'sharedFlake')) {
      throw new UserError(
        `template '${template.spec.name}' has no sharedFlake to set with --flake`,
      );
    }
    if ('sharedFlake' in given)
      throw new UserError('give --flake or --param sharedFlake=..., not both');
    given.sharedFlake = opts.flake;
  }
  return given;
}

/**
 * What the team's crossflake.json (the nearest one above the working
 * directory) says for this template: templates.sharedFlake. It is checked
 * against the template's own rule with every other value. Like the machine,
 * it is asked only for a value not given (a given one wins over it anyway),
 * and its code (ajv, yaml) is loaded only then.
 */
async function teamValues(template: Template, given: ParamValues, io: Io): Promise<ParamValues> {
  if (!template.spec.parameters.some((p) => p.name === 'sharedFlake')) return {};
  if ('sharedFlake' in given) return {};
  const { findTeamConfig, loadTeamConfigFile } = await import('../teamconfig/load.js');
  const file = findTeamConfig(io.cwd);
  if (file === null) return {};
  const shared = (await loadTeamConfigFile(file)).templates.sharedFlake;
  return shared === null ? {} : { sharedFlake: shared };
}

interface GitOutcome {
  initialized: boolean;
  committed: boolean;
  error?: string;
}

async function gitInitAndCommit(dir: string, template: string, io: Io): Promise<GitOutcome> {
  const { run } = await import('../io/proc.js');
  const git = (args: string[]) => run('git', args, { cwd: dir, env: io.env, timeoutMs: 60_000 });
  const steps: [string[], keyof GitOutcome][] = [
    [['init', '-q'], 'initialized'],
    [['add', '-A'], 'initialized'],
    [
      ['commit', '-q', '-m', `Initial configuration from crossflake template ${template}`],
      'committed',
    ],
  ];
  const outcome: GitOutcome = { initialized: false, committed: false };
  for (const [args, marks] of steps) {
    const result = await git(args);
    if (result.code !== 0) {
      const why = result.failure ?? result.stderr.toString('utf8').trim().split('\n').at(-1);
      return { ...outcome, error: `git ${args[0]} failed: ${why}` };
    }
    if (marks === 'initialized') outcome.initialized = true;
    else outcome.committed = true;
  }
  return outcome;
}

async function init(root: string, opts: ParsedOptions, params: string[], io: Io): Promise<number> {
  const [name, dirArg, ...extra] = params;
  if (extra.length > 0) throw new UserError(`unexpected arguments: ${extra.join(' ')}`);
  const template = await pickTemplate(root, name);
  const { spec } = template;
  const given = givenValues(template, opts);
  // The machine is asked only for defaults of parameters not given.
  const needs = sourcesNeeded(spec, given);
  const [facts, identity] = await Promise.all([
    needs.facts ? hostFacts(io.env) : null,
    needs.git ? gitIdentity(io.env) : { name: null, email: null },
  ]);
  const defaults = {
    ...deriveDefaults(spec, facts, identity),
    ...(await teamValues(template, given, io)),
  };
  const interactive =
    !opts['non-interactive'] && !opts.json && Boolean(io.stdin.isTTY) && Boolean(io.stdout.isTTY);
  const answers = interactive
    ? await askMissing(spec, defaults, given, io)
    : { ...defaults, ...given };
  // A parameter without a default that nothing gave: one line naming it and
  // where its value comes from (never a made-up value).
  const missing = missingParams(spec, answers);
  if (missing.length > 0)
    throw new UserError(`nothing written: ${missing.map(missingMessage).join('; ')}`);
  const { values, problems } = checkAll(spec, answers);
  if (problems.length > 0) throw new UserError(`nothing written:\n  ${problems.join('\n  ')}`);

  const target = resolve(io.cwd, dirArg ?? spec.name);
  let written;
  try {
    written = await writeTree(target, render(template, values), {
      force: Boolean(opts.force),
      cwd: io.cwd,
    });
  } catch (error) {
    if (error instanceof TargetError) throw new UserError(error.message, error.exitCode);
    throw error;
  }
  const git = opts.git ? await gitInitAndCommit(target, spec.name, io) : null;
  const commands = renderNextCommands(spec, values).filter(
    (c) => !(git?.initialized && c.startsWith('git init')),
  );
  const shown = relative(io.cwd, target);
  if (shown !== '') commands.unshift(`cd ${quotePosix(shown)}`);

  if (opts.json) {
    // Commands as argument arrays, as in advise and onboard; a program runs them without a shell.
    const nextCommands = [
      ...(shown === '' ? [] : [['cd', shown]]),
      ...commands.slice(shown === '' ? 0 : 1).map(commandArgs),
    ];
    const data = { template: spec.name, ...written, parameters: values, nextCommands, git };
    json(io, data, git?.error ? { code: 'git-failed', message: git.error } : undefined);
  } else {
    const how = written.mode === 'created' ? 'Created' : 'Wrote into';
    io.stdout.write(
      `${how} ${target} from template ${spec.name} (${written.files.length} files).\n`,
    );
    if (written.replaced.length > 0) io.stdout.write(`Replaced: ${written.replaced.join(', ')}\n`);
    if (git?.committed) io.stdout.write('Made a git repository with a first commit.\n');
    io.stdout.write(`\nNext:\n${commands.map((c) => `  ${c}`).join('\n')}\n`);
  }
  if (git?.error) {
    io.stderr.write(`crossflake init: the files are written, but ${git.error}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

/**
 * A next command as an argument array. A line that needs a shell (`&&`, `>`,
 * `$VAR`, quotes) is kept whole as `sh -c LINE`, so the array runs the same thing.
 */
export function commandArgs(line: string): string[] {
  return /^[\w./:#@=+,%-]+( [\w./:#@=+,%-]+)*$/.test(line) ? line.split(' ') : ['sh', '-c', line];
}

async function handler(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
  const root = templatesDir(opts, io);
  try {
    if (opts.list) return await list(root, opts, io);
    if (opts.test) return await selfTestCommand(root, opts, io);
    return await init(root, opts, params, io);
  } catch (error) {
    // A broken template is reported like bad input: the file and what is wrong.
    if (error instanceof TemplateError) throw new UserError(error.message, EXIT.failed);
    if (error instanceof PromptClosed) throw new UserError(`nothing written: ${error.message}`);
    throw error;
  }
}

const command: CommandModule = {
  ...spec,
  handler,
};
export default command;
