// GitHub Actions steps shared by ci.yml and release-images.yml.
import type { TeamConfig, ExtraStep } from '../teamconfig/types.js';
import { ACTIONS } from './actions.js';
import { runStep, type PlanStep, type Step } from './model.js';

export function checkout(): Step {
  return { name: 'Check out', uses: ACTIONS.checkout };
}

export function installNix(options: { kvm?: boolean; extraConfig?: string[] } = {}): Step {
  const config = ['experimental-features = nix-command flakes', ...(options.extraConfig ?? [])];
  // VM tests need the kvm feature declared, or Nix refuses to build them.
  if (options.kvm) config.push('system-features = nixos-test benchmark big-parallel kvm');
  return {
    name: 'Install Nix',
    uses: ACTIONS.installNix,
    with: {
      // Authenticated GitHub fetches avoid the anonymous API rate limit.
      github_access_token: '${{ secrets.GITHUB_TOKEN }}',
      extra_nix_config: config.join('\n'),
    },
  };
}

export function cache(config: TeamConfig): Step[] {
  switch (config.ci.cache) {
    case 'none':
      return [];
    case 'cachix':
      return [
        {
          name: 'Cachix',
          uses: ACTIONS.cachix,
          with: {
            name: config.ci.cachixName ?? '',
            authToken: `\${{ secrets.${config.ci.secrets.cachixAuthToken} }}`,
          },
        },
      ];
    case 'github': {
      const prefix = 'nix-${{ runner.os }}-${{ runner.arch }}-';
      return [
        {
          name: 'Cache the Nix store',
          uses: ACTIONS.cacheNix,
          with: {
            'primary-key': `${prefix}\${{ hashFiles('**/*.nix', '**/flake.lock') }}`,
            'restore-prefixes-first-match': prefix,
          },
        },
      ];
    }
  }
}

/**
 * The team's binary cache from crossflake.json (health.substituters and
 * health.trustedPublicKeys), added to the runner's Nix configuration so
 * configurations are fetched instead of rebuilt. Cachix configures itself.
 */
export function teamCacheConfig(config: TeamConfig): string[] {
  const substituters = config.health?.substituters ?? [];
  const keys = config.health?.trustedPublicKeys ?? [];
  return [
    ...(substituters.length > 0 ? [`extra-substituters = ${substituters.join(' ')}`] : []),
    ...(keys.length > 0 ? [`extra-trusted-public-keys = ${keys.join(' ')}`] : []),
  ];
}

/** The team's extra steps of one phase: their `run` is the team's own shell script. */
export function extraSteps(config: TeamConfig, phase: ExtraStep['phase']): PlanStep[] {
  return config.ci.extraSteps
    .filter((s) => s.phase === phase)
    .map((s) => runStep(s.name, [{ script: s.run }], { systems: s.systems, secrets: s.secrets }));
}

/** Hosted Linux runners start with ~20 GB free; images need more. */
export function freeDiskSpace(): Step {
  return {
    name: 'Free disk space',
    run: [
      'sudo rm -rf /usr/share/dotnet /usr/local/lib/android /opt/ghc /usr/local/.ghcup /opt/hostedtoolcache/CodeQL',
      'sudo docker image prune --all --force || true',
      'df -h /',
    ].join('\n'),
  };
}

/** A step only a hosted runner takes (an action, runner set-up). */
export const onRunner = (step: Step): PlanStep => ({ kind: 'runner', step });

/** Checkout, Nix with the team's binary cache, and the cache step. */
export function setUp(config: TeamConfig, options: { kvm?: boolean } = {}): PlanStep[] {
  return [
    onRunner(checkout()),
    onRunner(installNix({ ...options, extraConfig: teamCacheConfig(config) })),
    ...cache(config).map(onRunner),
  ];
}
