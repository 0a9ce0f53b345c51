// crossflake vm: list the flake's VMs this host can boot, boot one on the
// terminal, or boot it headless and smoke-test it over the serial console.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';
import { resolveFlakeRef } from '../io/flake-ref.js';
import { freePort } from '../io/free-port.js';
import { describeVm, listVmConfigs, realiseRunner } from '../io/vm/nix-vm.js';
import { collectVmFacts } from '../io/host/vm-facts.js';
import { startVm, type VmSession } from '../io/vm/session.js';
import { chooseAccelerator } from './accelerator.js';
import { classifyVms, type VmEntry } from './list.js';
import { qmpSocket, runnerEnv } from './runner-env.js';
import { checkCommand, DEFAULT_MARKER } from './console.js';
import { smokeTest, type StepResult } from './smoke.js';
import { writeEnvelope } from '../ui/json.js';
import { phaseClock, type PhaseClock } from './phases.js';
import spec from './spec.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function seconds(opts: ParsedOptions, key: string, fallback: number): number {
  const raw = opts[key] as string | undefined;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UserError(`--${key} takes a number of seconds above 0, not '${raw}'`);
  }
  return value;
}

function configName(params: string[], sub: string): string {
  const name = params[1];
  if (name === undefined)
    throw new UserError(`vm ${sub} needs a configuration name (see 'crossflake vm list')`);
  if (!NAME.test(name))
    throw new UserError(`'${name}' is not a configuration name (letters, digits, '_', '-', '.')`);
  return name;
}

function nixEnv(io: Io): NodeJS.ProcessEnv {
  return io.env;
}

async function list(opts: ParsedOptions, io: Io): Promise<number> {
  const flake = resolveFlakeRef((opts.flake as string | undefined) ?? '.', io.cwd).ref;
  const file = opts.facts as string | undefined;
  // A recorded file is read as doctor reads it; live, only the facts a VM needs.
  const facts =
    file === undefined
      ? await collectVmFacts(io.env)
      : await (await import('../io/host/load.js')).loadFacts(file, io.env);
  const vms = classifyVms(facts, await listVmConfigs(flake, { env: nixEnv(io), cwd: io.cwd }));
  if (opts.json) {
    writeEnvelope(io, 'vm', { vms });
    return EXIT.ok;
  }
  if (vms.length === 0) {
    io.stdout.write(
      'No NixOS configuration of this flake has a VM runner (config.system.build.vm).\n',
    );
    return EXIT.ok;
  }
  // Loaded here: the table's text-width code is for `vm list` alone.
  const { renderTable } = await import('../ui/table.js');
  io.stdout.write(renderTable(['name', 'system', 'runs here', 'note'], vms.map(row)));
  return EXIT.ok;
}

function row(v: VmEntry): string[] {
  const runs = v.runs === 'no' ? 'no' : `${v.runs} (${v.accelerator ?? '-'})`;
  return [v.name, v.system, runs, v.note];
}

interface Prepared {
  name: string;
  runner: string;
  stateDir: string;
  guestSystem: string;
}

/** Finds the configuration, says how it will run, builds its runner. */
async function prepare(
  opts: ParsedOptions,
  params: string[],
  io: Io,
  sub: string,
  clock: PhaseClock,
): Promise<Prepared> {
  const name = configName(params, sub);
  clock.done('start-up (Node, modules)');
  const flake = resolveFlakeRef((opts.flake as string | undefined) ?? '.', io.cwd).ref;
  const env = nixEnv(io);
  // The evaluation and the host probes are independent: run them together.
  // Only the named configuration is evaluated, and only the facts a VM needs.
  const [config, facts] = await Promise.all([
    describeVm(flake, name, { env, cwd: io.cwd }),
    collectVmFacts(io.env),
  ]);
  clock.done(`evaluate ${name}`);
  if (!config)
    throw new UserError(`the flake has no nixosConfigurations.${name} (see 'crossflake vm list')`);
  if (!config.hasVm || !config.drvPath)
    throw new UserError(`nixosConfigurations.${name} has no VM runner (config.system.build.vm)`);
  const [entry] = classifyVms(facts, [config]);
  if (!entry || entry.runs === 'no')
    throw new UserError(
      `${name} cannot run on this host: ${entry?.note ?? 'unknown'}`,
      EXIT.failed,
    );
  const warning = chooseAccelerator(facts, config.system).warning;
  if (warning) io.stderr.write(`crossflake vm: ${name}: ${warning}\n`);
  io.stderr.write(
    `Building the VM runner of ${name} (${config.system}, ${entry.accelerator})...\n`,
  );
  const built = await realiseRunner(config.drvPath, {
    env,
    cwd: io.cwd,
    onLine: opts.json ? undefined : (line) => io.stderr.write(`  ${line}\n`),
  });
  if (!built.runner)
    throw new UserError(`could not build the VM of ${name}:\n${built.error ?? ''}`, EXIT.failed);
  clock.done('build the runner');
  const stateDir = await mkdtemp(join(tmpdir(), 'crossflake-vm-'));
  // QEMU_OPTS is split on blanks by the runner script.
  if (/\s/.test(stateDir))
    throw new UserError(
      `the temporary folder '${stateDir}' contains a blank; set TMPDIR to a path without one`,
    );
  return { name, runner: built.runner, stateDir, guestSystem: config.system };
}

async function cleanup(p: Prepared, keep: boolean, io: Io): Promise<void> {
  if (keep) io.stderr.write(`Kept the VM's state folder: ${p.stateDir}\n`);
  else await rm(p.stateDir, { recursive: true, force: true });
}

interface BootOptions {
  sshPort: number | null;
  gui: boolean;
  logFile: string;
  echo?: { write(chunk: Buffer): unknown };
  /** --keep: the state folder stays even if crossflake is killed. */
  keep: boolean;
}

function boot(p: Prepared, o: BootOptions): VmSession {
  const { name, guestSystem, stateDir } = p;
  return startVm({
    runner: p.runner,
    env: runnerEnv({ name, guestSystem, stateDir, sshPort: o.sshPort, gui: o.gui }),
    logFile: o.logFile,
    echo: o.echo,
    qmpSocket: qmpSocket(stateDir),
    removeOnDeath: o.keep ? undefined : stateDir,
  });
}

/** Phase timings on stderr under the global --verbose. */
function timing(io: Io): PhaseClock {
  return phaseClock(performance, io.flags?.verbose ? (line) => io.stderr.write(line) : null);
}

async function runVm(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
  const clock = timing(io);
  const p = await prepare(opts, params, io, 'run', clock);
  const sshPort = await freePort();
  const graceMs = seconds(opts, 'poweroff-timeout', 60) * 1000;
  const session = boot(p, {
    sshPort,
    gui: Boolean(opts.gui),
    logFile: join(p.stateDir, 'console.log'),
    echo: { write: (chunk) => io.stdout.write(chunk) },
    keep: Boolean(opts.keep),
  });
  clock.done('start QEMU');
  io.stderr.write(
    `${p.name} is booting (QEMU pid ${session.pid}); SSH: ssh -p ${sshPort} <user>@127.0.0.1; Ctrl-C powers it off.\n`,
  );
  const forward = (chunk: Buffer | string) => session.send(chunk.toString());
  io.stdin.on('data', forward);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    io.stderr.write(`\nPowering ${p.name} off...\n`);
    void session.powerOff(graceMs);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await session.exited;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  io.stdin.off('data', forward);
  io.stdin.pause?.();
  await cleanup(p, Boolean(opts.keep), io);
  io.stderr.write(`${p.name} is off.\n`);
  return stopping || code === 0 ? EXIT.ok : EXIT.failed;
}

async function testVm(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
  const expects = (opts.expect as string[] | undefined) ?? [DEFAULT_MARKER];
  const commands = (opts.run as string[] | undefined) ?? [];
  for (const c of commands) {
    const bad = checkCommand(c);
    if (bad) throw new UserError(bad);
  }
  const logOpt = opts.log as string | undefined;
  const logFile = logOpt === undefined ? undefined : resolve(io.cwd, logOpt);
  if (logFile && (await stat(logFile).catch(() => null))) {
    throw new UserError(`${logFile} exists; choose another --log file`);
  }
  const timeoutMs = seconds(opts, 'timeout', 600) * 1000;
  const graceMs = seconds(opts, 'poweroff-timeout', 60) * 1000;
  const clock = timing(io);
  const p = await prepare(opts, params, io, 'test', clock);
  const log = logFile ?? join(p.stateDir, 'console.log');
  const session = boot(p, { sshPort: null, gui: false, logFile: log, keep: Boolean(opts.keep) });
  clock.done('start QEMU');
  const show = (s: StepResult) => {
    clock.done(`${s.kind} ${s.text}`);
    if (!opts.json)
      io.stderr.write(
        `${s.ok ? 'PASS' : 'FAIL'}  ${s.kind} ${s.text}${s.detail ? `: ${s.detail}` : ''}\n`,
      );
  };
  const steps = await smokeTest(session, { expects, commands, timeoutMs }, show);
  const shell = steps.some((s) => s.kind === 'shell' && s.ok);
  await session.powerOff(graceMs, shell);
  clock.done('power off');
  const ok = steps.every((s) => s.ok);
  const keep = Boolean(opts.keep) || (!ok && logFile === undefined);
  if (opts.json) {
    const report = { name: p.name, qemuPid: session.pid, log: keep || logFile ? log : null, steps };
    const failed = steps.filter((s) => !s.ok).map((s) => `${s.kind} ${s.text}`);
    const failure = { code: 'test-failed', message: `failed: ${failed.join('; ')}` };
    writeEnvelope(io, 'vm', report, ok ? undefined : failure);
  } else {
    io.stdout.write(
      `${p.name}: ${ok ? 'passed' : 'FAILED'} (${steps.filter((s) => s.ok).length}/${steps.length} steps)\n`,
    );
    if (keep || logFile) io.stdout.write(`Console log: ${log}\n`);
  }
  await cleanup(p, keep, io);
  return ok ? EXIT.ok : EXIT.failed;
}

const command: CommandModule = {
  ...spec,
  async handler(opts, params, io) {
    const sub = params[0];
    if (sub === 'list') return list(opts, io);
    if (sub === 'run') return runVm(opts, params, io);
    if (sub === 'test') return testVm(opts, params, io);
    throw new UserError(
      sub === undefined
        ? 'vm needs a subcommand: list, run or test'
        : `unknown vm subcommand '${sub}'; choose list, run or test`,
    );
  },
};

export default command;
