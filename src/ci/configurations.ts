// The configurations the team uses, built in CI: one job per system on the
// hosted runner that builds it natively, one step per configuration, each
// building the configuration's top-level derivation. Configurations of a
// system no hosted runner has are returned as not covered, for the header.
import { UserError } from '../command.js';
import type { Command } from './commands.js';
import { runnerForSystem } from './matrix.js';
import { runStep, type GenerateInput, type PlanJob, type PlanStep } from './model.js';
import type { Configuration, ConfigurationKind } from './outputs.js';
import { setUp } from './steps.js';

const OUTPUT: Record<ConfigurationKind, { output: string; attr: string }> = {
  nixos: { output: 'nixosConfigurations', attr: 'config.system.build.toplevel' },
  darwin: { output: 'darwinConfigurations', attr: 'system' },
  home: { output: 'homeConfigurations', attr: 'activationPackage' },
};

// Host names and home-manager's `user@host` keys; nothing a shell or a flake
// reference would read as syntax once the name is quoted in the attribute path.
const CONFIG_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;
const PLAIN_ATTR = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const SYSTEM = /^[a-z0-9_]+-[a-z0-9_]+$/;

/** `nixosConfigurations.laptop`, as the flake names it. */
export function configurationLabel(c: Configuration): string {
  return `${OUTPUT[c.kind].output}.${c.name}`;
}

/** The installable that builds the configuration: `.#homeConfigurations."a@b".activationPackage`. */
export function configurationInstallable(c: Configuration): string {
  if (!CONFIG_NAME.test(c.name)) {
    throw new UserError(
      `${OUTPUT[c.kind].output} name ${JSON.stringify(c.name)} cannot be built in CI: names must match ${CONFIG_NAME.source}`,
    );
  }
  const name = PLAIN_ATTR.test(c.name) ? c.name : `"${c.name}"`;
  return `.#${OUTPUT[c.kind].output}.${name}.${OUTPUT[c.kind].attr}`;
}

export function buildCommand(c: Configuration): Command {
  return { argv: ['nix', 'build', '--no-link', '--print-build-logs', configurationInstallable(c)] };
}

export function configurationsJobId(system: string): string {
  return `configurations-${system}`;
}

const order = (a: Configuration, b: Configuration) =>
  a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);

export function configurationJobs(input: GenerateInput): { jobs: PlanJob[]; uncovered: string[] } {
  const bySystem = new Map<string, Configuration[]>();
  for (const c of input.outputs.configurations) {
    if (!SYSTEM.test(c.system))
      throw new UserError(
        `${configurationLabel(c)} builds on ${JSON.stringify(c.system)}, not a Nix system`,
      );
    bySystem.set(c.system, [...(bySystem.get(c.system) ?? []), c]);
  }
  const jobs: PlanJob[] = [];
  const uncovered: string[] = [];
  for (const system of [...bySystem.keys()].sort()) {
    const configs = bySystem.get(system)!.sort(order);
    const row = runnerForSystem(input.platformRows, system);
    if (!row?.runner) {
      uncovered.push(...configs.map((c) => `${configurationLabel(c)} (${system})`));
      continue;
    }
    const steps: PlanStep[] = [
      ...setUp(input.config),
      ...configs.map((c) => runStep(`build ${configurationLabel(c)}`, [buildCommand(c)])),
    ];
    jobs.push({
      id: configurationsJobId(system),
      name: `configurations (${system})`,
      timeoutMinutes: 120,
      rows: null,
      runner: { label: row.runner.label, system },
      steps,
    });
  }
  return { jobs, uncovered };
}
