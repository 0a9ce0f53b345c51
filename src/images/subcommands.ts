// The four `images` subcommands, each a small function over ImagesContext:
// gather inputs (flake, host facts, dist/), call the pure/IO modules, report.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { listValues } from '../args.js';
import { EXIT, UserError, type ParsedOptions } from '../command.js';
import type { HostFacts } from '../io/host/facts.js';
import { known } from '../io/host/facts.js';
import { NixError, type NixCallOptions } from '../io/nix.js';
import { GitHubError } from '../io/net/github.js';
import { buildImages, loadPlan } from './build.js';
import type { ImagesContext } from './command.js';
import { defaultMaxJobs } from './plan.js';
import { stripAnsi } from './nixlog.js';
import { describeFsError, requireDirectory } from './paths.js';
import { printableLines } from '../ui/printable.js';
import { tableWidth } from '../ui/table-width.js';
import { resolveFlakeRef } from './repo.js';
import { writeEnvelope, type JsonFailure } from '../ui/json.js';

/** The text reports, with the table module: loaded only when a table is printed (ui/table-width.ts). */
const report = () => import('./report.js');

type Sub = 'plan' | 'build' | 'copy' | 'release' | 'merge';

export function str(opts: ParsedOptions, key: string): string | undefined {
  const v = opts[key];
  return typeof v === 'string' ? v : undefined;
}

export function list(opts: ParsedOptions, key: string): string[] {
  const v = opts[key];
  return Array.isArray(v) ? v.map(String) : [];
}

export function nixOptions(ctx: ImagesContext): NixCallOptions {
  return { env: ctx.io.env, cwd: ctx.io.cwd };
}

async function hostFacts(ctx: ImagesContext): Promise<HostFacts> {
  const file = str(ctx.opts, 'facts');
  if (file !== undefined) {
    const { readFactsFile } = await import('../io/host/facts-file.js');
    return readFactsFile(resolve(ctx.io.cwd, file));
  }
  const { collectFacts } = await import('../io/host/index.js');
  return collectFacts({ env: ctx.io.env });
}

/** `--builders`, or nix.conf's `builders` with an `@file` reference expanded. */
async function builders(ctx: ImagesContext, facts: HostFacts): Promise<string | undefined> {
  const given = str(ctx.opts, 'builders');
  if (given !== undefined) return given;
  const configured = known(known(facts.nix)?.config)?.builders ?? '';
  const ref = /^\s*@(\S+)/.exec(configured);
  if (!ref) return undefined;
  return readFile(ref[1] as string, 'utf8').catch(() => '');
}

function maxJobs(ctx: ImagesContext, facts: HostFacts): number {
  const given = str(ctx.opts, 'max-jobs');
  if (given === undefined) return defaultMaxJobs(facts);
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`--max-jobs '${given}' must be a positive integer`);
  return n;
}

/** The --json envelope of every images subcommand (data/schemas/images.schema.json). */
export function writeJson(ctx: ImagesContext, value: object, failure?: JsonFailure): void {
  writeEnvelope(ctx.io, 'images', value, failure);
}

async function plan(ctx: ImagesContext): Promise<number> {
  const flake = resolveFlakeRef(str(ctx.opts, 'flake') ?? '.', ctx.io.cwd);
  const facts = await hostFacts(ctx);
  const result = await loadPlan(
    flake,
    listValues(ctx.opts.only),
    facts,
    await builders(ctx, facts),
    nixOptions(ctx),
  );
  if (ctx.json) writeJson(ctx, result);
  else ctx.io.stdout.write((await report()).renderPlan(result, { width: tableWidth(ctx.io) }));
  return EXIT.ok;
}

async function build(ctx: ImagesContext): Promise<number> {
  const flake = resolveFlakeRef(str(ctx.opts, 'flake') ?? '.', ctx.io.cwd);
  await requireDirectory(ctx.dist, '--dist', { mayBeMissing: true });
  const facts = await hostFacts(ctx);
  const summary = await buildImages({
    flake,
    dist: ctx.dist,
    only: listValues(ctx.opts.only),
    keepGoing: ctx.opts['keep-going'] === true,
    builders: await builders(ctx, facts),
    maxJobs: maxJobs(ctx, facts),
    version: str(ctx.opts, 'image-version'),
    facts,
    nix: nixOptions(ctx),
    now: new Date(),
    progressOut: ctx.io.stderr,
    live: ctx.io.stderr.isTTY === true && !ctx.json,
    isRoot: process.getuid?.() === 0,
    verbose: ctx.io.flags?.verbose === true,
  });
  const failed = summary.results.some((r) => r.status === 'failed' || r.status === 'not-built');
  if (ctx.json) writeJson(ctx, summary, failed ? buildFailure(summary) : undefined);
  else ctx.io.stdout.write((await report()).renderBuildSummary(summary));
  return failed ? EXIT.failed : EXIT.ok;
}

function buildFailure(summary: { results: { key: string; status: string }[] }): JsonFailure {
  const bad = summary.results.filter((r) => r.status === 'failed' || r.status === 'not-built');
  return { code: 'build-failed', message: `not built: ${bad.map((r) => r.key).join(', ')}` };
}

export async function runSubcommand(sub: Sub, ctx: ImagesContext): Promise<number> {
  try {
    return await dispatch(sub, ctx);
  } catch (error) {
    // nix's / GitHub's own message is the useful part; no stack trace.
    if (error instanceof NixError || error instanceof GitHubError) {
      // Nix colours its errors; anything else that is not printable is shown escaped.
      // Reported by src/cli.ts, as one line or as the --json error.
      throw new UserError(printableLines(stripAnsi(error.message)), EXIT.failed, 'environment');
    }
    // A file-system refusal (a path that is a file, no permission): one line, exit 1.
    const fsError = describeFsError(error);
    if (fsError) throw new UserError(fsError.message, fsError.exitCode, 'environment');
    throw error;
  }
}

async function dispatch(sub: Sub, ctx: ImagesContext): Promise<number> {
  switch (sub) {
    case 'plan':
      return plan(ctx);
    case 'build':
      return build(ctx);
    case 'copy':
      return (await import('./copy.js')).copyCommand(ctx);
    case 'release':
      return (await import('./release.js')).releaseCommand(ctx);
    case 'merge':
      return (await import('./merge.js')).mergeCommand(ctx, ctx.params);
  }
}
