// Builds GenerateInput values for the pure builder tests from the recorded
// `nix eval` outputs of the fixture flakes (test/fixtures/ci/recorded/*.json,
// checked against a live eval in outputs.test.ts).
import { readFileSync } from 'node:fs';
import platforms from '../../../data/platforms.json' with { type: 'json' };
import type { GenerateInput } from '../../../src/ci/model.js';
import { parseFlakeOutputs, type FlakeOutputs } from '../../../src/ci/outputs.js';
import { withDefaults, type RawTeamConfig } from '../../../src/teamconfig/types.js';

export type Shape = 'full' | 'linux-only' | 'templates-only' | 'configs';
export const SHAPES: Shape[] = ['full', 'linux-only', 'templates-only', 'configs'];

export function recordedOutputs(shape: Shape): FlakeOutputs {
  return parseFlakeOutputs(
    JSON.parse(readFileSync(`test/fixtures/ci/recorded/${shape}.json`, 'utf8')),
  );
}

export function makeInput(
  outputs: FlakeOutputs | Shape,
  config: RawTeamConfig = {},
  extra: Partial<GenerateInput> = {},
): GenerateInput {
  return {
    platformRows: platforms.rows,
    outputs: typeof outputs === 'string' ? recordedOutputs(outputs) : outputs,
    config: withDefaults(config),
    hasVersionFile: false,
    crossflakeVersion: '0.1.0',
    crossflakeInput: 'crossflake',
    ...extra,
  };
}

/** Team configs that exercise every switch the generator has. */
export const CONFIGS: Record<string, RawTeamConfig> = {
  default: {},
  cachix: {
    ci: {
      cache: 'cachix',
      cachix: { name: 'company' },
      secrets: { cachixAuthToken: 'COMPANY_CACHIX_TOKEN' },
    },
  },
  'no-cache-arm-off-vm-on': {
    ci: {
      cache: 'none',
      rows: { 'linux-aarch64': false },
      vm: { enable: true, checks: ['vm-boot'] },
    },
  },
  'extra-steps': {
    ci: {
      smoke: { '*': 'echo "shell: ok # really"', python: "python -c 'print(1)'" },
      extraSteps: [
        {
          name: 'lint: statix # strict',
          run: 'nix run .#lint -- --format "a: b" # trailing',
          phase: 'before-check',
        },
        {
          name: 'publish docs',
          run: 'echo \'multi\nline\' && echo "done: $DOCS_TOKEN"',
          systems: ['x86_64-linux'],
          secrets: ['DOCS_TOKEN'],
        },
      ],
      crossflakeCommand: 'nix run github:company/crossflake --',
    },
  },
  'http-store': { images: { store: 'https://artifacts.example.com/generic/images' } },
  'oci-store': { images: { store: 'oci://registry.example.com/team/images' } },
  'ghcr-store': { images: { store: 'oci://ghcr.io/company/images' } },
};
