// Every third-party action the generated workflows use, pinned to a released
// version tag (each checked against the action's release notes in 2026).
// Bumping one is a one-line change here followed by `crossflake ci generate
// --write`; `crossflake ci check` then shows the team what changed.
export const ACTIONS = {
  checkout: 'actions/checkout@v6.0.2',
  // Installs Nix on all four hosted systems, incl. Intel macOS (macos-15-intel);
  // Determinate's installer no longer supports x86_64-darwin.
  installNix: 'cachix/install-nix-action@v31.10.6',
  cachix: 'cachix/cachix-action@v16',
  // The free Magic Nix Cache is gone; this stores /nix in the Actions cache.
  cacheNix: 'nix-community/cache-nix-action@v7',
  uploadArtifact: 'actions/upload-artifact@v6.0.0',
  downloadArtifact: 'actions/download-artifact@v7.0.0',
} as const;

/** GitLab's Nix image, pinned; hosted GitLab runners have no Nix. */
export const GITLAB_NIX_IMAGE = 'nixos/nix:2.28.3';

/** GitLab.com hosted runner tags per Linux system (no hosted Nix-capable macOS on Free). */
export const GITLAB_RUNNER_TAGS: Record<string, string> = {
  'x86_64-linux': 'saas-linux-small-amd64',
  'aarch64-linux': 'saas-linux-small-arm64',
};
