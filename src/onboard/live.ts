// The real effects behind RunContext: programs, files, the registry query,
// downloads and the Terminal fragment folder.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Io } from '../command.js';
import { exists, writeFileAtomic } from '../io/files.js';
import { decodeWslOutput } from '../io/host/wsl-exe.js';
import { run } from '../io/proc.js';
import { progressBar } from '../ui/download-progress.js';
import type { Colors } from '../ui/color.js';
import type { ExecOptions, RunContext, RunEvent } from './runner.js';
import { fragmentDir, parseRegLxss, type RegisteredDistro } from './terminal.js';
import { removeOrphanFragments, writeFragment } from './terminal-files.js';
import pkg from '../../package.json' with { type: 'json' };

const LXSS_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss';

/** `crossflake ...` in a plan means this very program (npx leaves no crossflake on PATH). */
export function resolveProgram(
  command: readonly string[],
  self: string = process.argv[1] ?? 'crossflake',
): [string, string[]] {
  if (command[0] === 'crossflake') return [process.execPath, [self, ...command.slice(1)]];
  return [command[0]!, command.slice(1)];
}

async function registeredDistros(env: NodeJS.ProcessEnv): Promise<RegisteredDistro[]> {
  const res = await run('reg', ['query', LXSS_KEY, '/s', '/v', 'DistributionName'], {
    env,
    timeoutMs: 15_000,
  });
  if (res.failure) throw new Error(`reg query ${LXSS_KEY}: ${res.failure}`);
  // reg.exe exits 1 when the key is missing: then no distro is registered.
  return parseRegLxss(decodeWslOutput(res.stdout));
}

function systemWslExe(env: NodeJS.ProcessEnv): string {
  // Terminal's own WSL profiles name wsl.exe by its full path (no PATH hijack).
  return `${env.SystemRoot ?? 'C:\\Windows'}\\System32\\wsl.exe`;
}

/** `self`: the crossflake entry script that `crossflake` in a plan runs. */
export function liveContext(io: Io, c: Colors, self?: string): RunContext {
  const env = { ...io.env, WSL_UTF8: '1' };
  const say = (line: string) => io.stderr.write(`${line}\n`);
  return {
    async exec(command: readonly string[], options: ExecOptions) {
      const [program, args] = resolveProgram(command, self);
      const echo = options.capture ? undefined : io.stderr;
      const withEnv = options.env ? { ...env, ...options.env } : env;
      return run(program, args, { env: withEnv, cwd: options.cwd, input: options.input, echo });
    },
    async internal(action) {
      if (action.name === 'fetch-image') {
        // The HTTP stack (undici) loads only for a download, not with onboard.
        const [{ fetchArtifact, loadRelease, pickArtifact, withGivenSha256 }, { netConfig }] =
          await Promise.all([import('../images/fetch.js'), import('../io/net/client.js')]);
        const net = netConfig(io.env, { caFile: action.caFile ?? null });
        const release = await loadRelease(action.source, io.cwd, net);
        const artifact = withGivenSha256(
          pickArtifact(release, action.image ?? undefined),
          action.sha256 ?? undefined,
        );
        const bar = progressBar(io.stderr, artifact.file);
        try {
          const got = await fetchArtifact(release, artifact, action.toDir, {
            insecureSkipVerify: action.insecure,
            net,
            onProgress: (p) => bar.update(p),
            warn: say,
          });
          say(
            `  ${basename(got.path)}: sha256 ${got.sha256}${got.verified ? ' (verified)' : ' (NOT VERIFIED)'}`,
          );
        } finally {
          bar.done();
        }
        return;
      }
      if (action.name === 'make-dir') {
        await mkdir(action.path, { recursive: true });
        return;
      }
      if (action.name === 'ca-bundle') {
        await writeCaBundle(action.path, action.sources);
        say(`  wrote ${action.path}`);
        return;
      }
      const localAppData = io.env.LOCALAPPDATA;
      if (!localAppData) throw new Error('LOCALAPPDATA is not set: is this Windows?');
      const dir = fragmentDir(localAppData);
      const distros = await registeredDistros(env);
      if (action.name === 'terminal-fragment') {
        const distro = distros.find((d) => d.name === action.distro);
        if (!distro) throw new Error(`the registry has no WSL distro named ${action.distro}`);
        say(`  wrote ${await writeFragment(dir, distro, systemWslExe(io.env), pkg.version)}`);
        return;
      }
      const removed = await removeOrphanFragments(dir, distros);
      say(removed.length ? `  removed ${removed.join(', ')}` : '  no orphaned profiles');
    },
    fileExists: exists,
    writeFile: (path, data, within) => writeFileAtomic(path, data, within ? { within } : {}),
    now: () => new Date(),
    report: (event: RunEvent) => say(describeEvent(event, c)),
  };
}

/** Node's roots plus the company CAs: Nix's ssl-cert-file replaces its CAs, so it needs both. */
async function writeCaBundle(path: string, sources: string[]): Promise<void> {
  const { rootCertificates } = await import('node:tls');
  const extra: string[] = [];
  for (const source of sources) {
    const text = await readFile(source, 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      throw new Error(`${source} holds no PEM certificate`);
    extra.push(text.trim());
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${[...rootCertificates, ...extra].join('\n')}\n`);
}

export function describeEvent(event: RunEvent, c: Colors): string {
  switch (event.type) {
    case 'skip':
      return c.dim(`- ${event.step.what}: skipped, ${event.why}`);
    case 'start':
      return c.bold(`[${event.index + 1}/${event.total}] ${event.step.what}`);
    case 'done':
      return c.green(`  done: ${event.step.id}`);
    case 'fail':
      return c.red(`  failed: ${event.step.id}\n${event.message.replace(/^/gm, '    ')}`);
  }
}
