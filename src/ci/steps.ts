// GitHub Actions steps shared by ci.yml and release-images.yml.
import type { TeamConfig, ExtraStep } from '../teamconfig/types.js';
import { ACTIONS } from './actions.js';
import { oneOf } from './names.js';
import type { Step } from './model.js';

export function checkout(): Step {
  return { name: 'Check out', uses: ACTIONS.checkout };
}

export function installNix(options: { kvm?: boolean } = {}): Step {
  const config = ['experimental-features = nix-command flakes'];
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

export function extraSteps(
  config: TeamConfig,
  phase: ExtraStep['phase'],
  systemExpr: string,
): Step[] {
  return config.ci.extraSteps
    .filter((s) => s.phase === phase)
    .map((s) => {
      const step: Step = { name: s.name };
      if (s.systems) step.if = oneOf(systemExpr, s.systems);
      if (s.secrets.length > 0) {
        step.env = Object.fromEntries(s.secrets.map((n) => [n, `\${{ secrets.${n} }}`]));
      }
      step.run = s.run;
      return step;
    });
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
