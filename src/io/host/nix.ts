// Probe: is Nix installed, which version, how it is configured.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run, which } from '../proc.js';
import { parseNixVersion } from '../nix.js';
import type { NixFacts, NixConfigFacts } from './facts.js';
import { UNKNOWN } from './facts.js';
import { parseNixConfig, saysNixCommandDisabled } from './nix-parse.js';
import { probeInstall } from './nix-install.js';

const TIMEOUT_MS = 8000;

/** Where installers put nix when the current shell's PATH does not have it yet. */
function wellKnownNix(home: string): string[] {
  return [
    '/nix/var/nix/profiles/default/bin/nix',
    join(home, '.nix-profile/bin/nix'),
    '/run/current-system/sw/bin/nix',
  ];
}

export function findNix(env: NodeJS.ProcessEnv, home: string): string | null {
  return which('nix', env) ?? wellKnownNix(home).find((p) => existsSync(p)) ?? null;
}

async function readConfigWith(
  nixPath: string,
  sub: string[],
  env: NodeJS.ProcessEnv,
): Promise<NixConfigFacts> {
  let res = await run(nixPath, [...sub, '--json'], { env, timeoutMs: TIMEOUT_MS });
  const disabled = res.code !== 0 && saysNixCommandDisabled(res.stderr.toString());
  if (disabled) {
    res = await run(nixPath, ['--extra-experimental-features', 'nix-command', ...sub, '--json'], {
      env,
      timeoutMs: TIMEOUT_MS,
    });
  }
  if (res.code !== 0) throw new Error(`nix ${sub.join(' ')}: exit ${res.code ?? res.failure}`);
  const config = parseNixConfig(res.stdout.toString('utf8'));
  // We enabled nix-command for this one call; the user's own config lacks it.
  if (disabled)
    config.experimentalFeatures = config.experimentalFeatures.filter((f) => f !== 'nix-command');
  return config;
}

/**
 * `nix config show` is the current name and `show-config` the old one; every
 * Nix since 2.4 still accepts `show-config` (newer ones as an alias of
 * `config show`), so it goes first and one process answers on any version.
 */
async function readConfig(nixPath: string, env: NodeJS.ProcessEnv): Promise<NixConfigFacts> {
  return readConfigWith(nixPath, ['show-config'], env).catch(() =>
    readConfigWith(nixPath, ['config', 'show'], env),
  );
}

function daemonMode(env: NodeJS.ProcessEnv): NixFacts['mode'] {
  if (env.NIX_REMOTE === 'daemon' || existsSync('/nix/var/nix/daemon-socket/socket'))
    return 'daemon';
  try {
    const uid = process.getuid?.();
    if (uid !== undefined && statSync('/nix/store').uid === uid) return 'single-user';
  } catch {
    // No /nix/store: nothing to say.
  }
  return 'unknown';
}

/** `sequential` runs each nix call after the last (the benchmark's baseline). */
export async function probeNix(
  env: NodeJS.ProcessEnv,
  home: string,
  sequential = false,
): Promise<NixFacts> {
  const darwinRebuild =
    which('darwin-rebuild', env) !== null ||
    existsSync('/run/current-system/sw/bin/darwin-rebuild');
  const nixPath = findNix(env, home);
  if (!nixPath)
    return {
      present: false,
      version: null,
      path: null,
      mode: 'unknown',
      config: null,
      darwinRebuild,
    };
  const mode = daemonMode(env);
  const kernel = process.platform === 'darwin' ? 'darwin' : 'linux';
  const textOf = (r: Awaited<ReturnType<typeof run>>) =>
    r.code === 0 ? r.stdout.toString('utf8') : null;
  // The install probe needs only the version text, so it runs while the
  // (slower) configuration read is still going.
  const versionAndInstall = async () => {
    const versionRun = await run(nixPath, ['--version'], { env, timeoutMs: TIMEOUT_MS });
    const install = await probeInstall(kernel, nixPath, textOf(versionRun), mode, env).catch(
      (error: Error) => ({
        method: 'unknown' as const,
        distro: null,
        evidence: [`the install probe failed: ${error.message}`],
      }),
    );
    return { versionText: textOf(versionRun), install };
  };
  const config = () => readConfig(nixPath, env).catch(() => UNKNOWN);
  const [{ versionText, install }, configFacts] = sequential
    ? [await versionAndInstall(), await config()]
    : await Promise.all([versionAndInstall(), config()]);
  return {
    present: true,
    version: versionText === null ? null : parseNixVersion(versionText),
    path: nixPath,
    mode,
    config: configFacts,
    darwinRebuild,
    install,
  };
}
