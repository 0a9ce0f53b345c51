// The needs advise decides on, with their help text: their own file, so
// `crossflake advise --help` lists them without loading the decision code.
export const NEEDS = {
  iterate: 'fast edit-build-test iteration on a project',
  ci: 'running builds and tests in CI',
  tooling: 'light tooling (linters, CLIs, language toolchains)',
  'host-integration': 'tools that must see the host (editor, files, GPU, USB)',
  'system-test': 'full-system or OS-level testing (services, boot, users)',
  'os-build': 'reproducible OS-level builds (a whole NixOS system)',
  gui: 'a GUI desktop',
  'darwin-broken': 'a fallback while nix-darwin is broken on this Mac',
} as const;
