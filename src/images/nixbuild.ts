// Builds many images with ONE `nix build`, so Nix schedules them in parallel
// and builds their shared closure once. Reads the internal-json log stream to
// route every build line (the image's own derivation and its dependencies) to
// that image's log file and live progress.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { commitTemp, tempPathFor } from '../io/files.js';
import {
  drvOutputsInstallable,
  nixPathInfo,
  nixStoreRequisites,
  nixStream,
  type NixCallOptions,
} from '../io/nix.js';
import { NixLogReader, type LogEvent } from './nixlog.js';
import type { Progress } from './progress.js';

export interface BuildTarget {
  key: string;
  drvPath: string;
  outPath: string;
}

export interface BuildFlags {
  keepGoing: boolean;
  maxJobs: number;
  builders?: string;
  nixVersion: string | null;
}

export interface TargetOutcome {
  ok: boolean;
  /** For a failure: nix's error about this image (or its dependency), or why it was not built. */
  error: string | null;
  /** Nix stopped before trying it (another image failed, no --keep-going). */
  notBuilt: boolean;
  seconds: number;
}

/** One log file per image, written under a temp name and renamed when complete. */
export class ImageLogs {
  private readonly streams = new Map<
    string,
    { temp: string; final: string; stream: WriteStream }
  >();

  constructor(private readonly dir: string) {}

  async open(keys: readonly string[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const key of keys) {
      const final = this.path(key);
      const temp = tempPathFor(final);
      this.streams.set(key, { temp, final, stream: createWriteStream(temp, { flags: 'wx' }) });
    }
  }

  path(key: string): string {
    return join(this.dir, `${key}.log`);
  }

  write(key: string, text: string): void {
    this.streams.get(key)?.stream.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  async close(): Promise<void> {
    for (const { temp, final, stream } of this.streams.values()) {
      await new Promise<void>((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      await commitTemp(temp, final);
    }
    this.streams.clear();
  }
}

/** drvPath -> the images whose build graph contains it. */
async function drvOwners(
  targets: readonly BuildTarget[],
  nix: NixCallOptions,
): Promise<Map<string, string[]>> {
  const owners = new Map<string, string[]>();
  const graphs = await Promise.all(targets.map((t) => nixStoreRequisites([t.drvPath], nix)));
  targets.forEach((target, i) => {
    for (const drv of graphs[i] ?? []) {
      if (!drv.endsWith('.drv')) continue;
      owners.set(drv, [...(owners.get(drv) ?? []), target.key]);
    }
  });
  return owners;
}

function nameOf(drvPath: string): string {
  return drvPath.replace(/^.*\/[a-z0-9]{32}-/, '').replace(/\.drv$/, '');
}

/** How many lines of Nix's own error a failed image shows in the table and summary. */
export const ERROR_LINES = 4;

/**
 * The first lines of an error as Nix printed it: its "error:" line and what
 * follows (the builder's last log lines), blank lines dropped.
 */
export function firstErrorLines(text: string, count = ERROR_LINES): string {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const start = Math.max(
    0,
    lines.findIndex((l) => /^\s*error:/.test(l)),
  );
  return lines
    .slice(start, start + count)
    .map((l) => l.trim())
    .join('\n');
}

// This build is the one Nix call that does not go through io/nix.ts's nix():
// it enables what it needs itself, whatever the user's nix.conf says.
const FEATURES = ['--extra-experimental-features', 'nix-command flakes'];

export function buildArgs(targets: readonly BuildTarget[], flags: BuildFlags): string[] {
  const args = [...FEATURES, 'build', '--no-link', '--json', '--log-format', 'internal-json'];
  args.push('--max-jobs', String(flags.maxJobs));
  if (flags.keepGoing) args.push('--keep-going');
  if (flags.builders !== undefined) args.push('--builders', flags.builders);
  return [...args, ...targets.map((t) => drvOutputsInstallable(t.drvPath, flags.nixVersion))];
}

/** Builds all targets in one nix invocation; returns each one's outcome. */
export async function buildTargets(
  targets: readonly BuildTarget[],
  flags: BuildFlags,
  logs: ImageLogs,
  progress: Progress,
  nix: NixCallOptions,
  /**
   * Called when some build may have finished (an image's own build stopped,
   * or nix's count of finished builds went up); the caller checks the store.
   */
  onMaybeDone: (secondsOf: (key: string) => number) => void = () => {},
): Promise<Map<string, TargetOutcome>> {
  const outcomes = new Map<string, TargetOutcome>();
  if (targets.length === 0) return outcomes;
  // The build starts at once; events wait until the owner map (a few
  // nix-store queries) is known, then flow straight through.
  let owners: Map<string, string[]> | null = null;
  const waiting: LogEvent[] = [];
  const ownersReady = drvOwners(targets, nix)
    .catch(() => new Map(targets.map((t) => [t.drvPath, [t.key]])))
    .then((map) => {
      owners = map;
      waiting.splice(0).forEach(route);
    });
  const started = Date.now();
  const startOf = new Map<string, number>();
  const errors = new Map<string, string>();
  const reader = new NixLogReader();
  const general: string[] = [];
  const lastLine = new Map<string, string>();
  const ownDrv = new Map(targets.map((t) => [t.key, t.drvPath]));

  let finishedBuilds = 0;
  const secondsOf = (key: string) => (Date.now() - (startOf.get(key) ?? started)) / 1000;
  const route = (event: LogEvent) => {
    if (event.type === 'builds-progress') {
      if (event.done > finishedBuilds) onMaybeDone(secondsOf);
      finishedBuilds = event.done;
      return;
    }
    if (event.type === 'text') {
      general.push(event.line);
      progress.note(event.line);
      return;
    }
    const keys = event.drvPath ? (owners?.get(event.drvPath) ?? []) : [];
    if (event.type === 'error') {
      // Nix 2.8 sometimes reports a failure as a bare "error:" with no text.
      if (event.message.replace(/^error:/, '').trim() === '') return;
      general.push(event.message);
      progress.note(event.message);
      for (const key of keys) {
        if (!errors.has(key)) errors.set(key, event.message);
        logs.write(key, event.message);
      }
      return;
    }
    for (const key of keys) {
      if (event.type === 'build-start') {
        if (!startOf.has(key)) startOf.set(key, Date.now());
        const where = event.machine ? ` on ${event.machine}` : '';
        logs.write(key, `>>> building ${event.drvPath}${where}`);
        progress.set(key, 'building');
        progress.line(key, `building ${nameOf(event.drvPath)}${where}`);
      } else if (event.type === 'build-line') {
        logs.write(key, event.line);
        progress.line(key, event.line);
        if (event.line.trim() !== '') lastLine.set(key, event.line.trim());
      } else if (event.type === 'build-phase') {
        progress.line(key, `${nameOf(event.drvPath)}: ${event.phase}`);
      } else if (event.type === 'build-stop' && ownDrv.get(key) === event.drvPath) {
        progress.set(key, 'waiting');
        progress.line(key, 'build step ended');
        onMaybeDone(secondsOf);
      }
    }
  };

  const result = await nixStream(buildArgs(targets, flags), {
    ...nix,
    onStderrLine: (line) =>
      reader.read(line).forEach((event) => (owners ? route(event) : waiting.push(event))),
  });
  await ownersReady;
  const infos = await nixPathInfo(
    targets.map((t) => t.outPath),
    {},
    nix,
  );
  const valid = new Set(infos.filter((i) => i.valid).map((i) => i.path));
  const tail = general.slice(-5).join('\n');
  // Nix's own error when it stopped before building anything (bad flags, features, evaluation).
  const nixOwn = general.find(
    (l) => /^\s*error:/.test(l) && l.replace(/^\s*error:/, '').trim() !== '',
  );
  const anyStarted = startOf.size > 0;
  for (const target of targets) {
    const seconds = (Date.now() - (startOf.get(target.key) ?? started)) / 1000;
    if (valid.has(target.outPath)) {
      if (!startOf.has(target.key))
        logs.write(target.key, `${target.outPath} was already in the store`);
      outcomes.set(target.key, { ok: true, error: null, notBuilt: false, seconds });
      continue;
    }
    const own = errors.get(target.key);
    const notBuilt = own === undefined && !flags.keepGoing && !startOf.has(target.key);
    const exit = `nix exit ${result.code ?? result.failure}`;
    const last = lastLine.get(target.key);
    const stopHint = flags.keepGoing
      ? ''
      : '; without --keep-going nix stops every build at the first failure';
    const error =
      (own !== undefined ? firstErrorLines(own) : undefined) ??
      (notBuilt && !anyStarted && nixOwn && result.code !== 0
        ? `nix stopped before building anything: ${firstErrorLines(nixOwn)}`
        : notBuilt
          ? 'not built: nix stopped at the first failure (use --keep-going to build the rest)'
          : startOf.has(target.key)
            ? `its build did not finish (${exit})${last ? `; last log line: ${last}` : ''}${stopHint}`
            : `nix did not build it (${exit})${tail ? `: ${tail}` : ''}`);
    logs.write(target.key, error);
    outcomes.set(target.key, { ok: false, error, notBuilt, seconds });
  }
  return outcomes;
}
