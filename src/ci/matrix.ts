// Which platform rows CI runs on, decided from data/platforms.json, the
// flake's outputs and the team config. Pure.
import type { CiConfig } from '../teamconfig/types.js';
import type { FlakeOutputs } from './outputs.js';

export interface PlatformRow {
  id: string;
  name: string;
  nixSystem: string;
  status: string;
  runner: { label: string; kvm: boolean } | null;
}

export interface CiRow {
  id: string;
  system: string;
  runner: string;
  kvm: boolean;
}

/**
 * Rows with a hosted runner, minus those the team switched off. A row the
 * team did not name runs when the flake has dev shells, checks or
 * configurations for its system; a flake with none (templates only, say)
 * runs on every row.
 */
export function selectRows(
  platformRows: readonly PlatformRow[],
  outputs: FlakeOutputs,
  ci: Pick<CiConfig, 'rows'>,
): CiRow[] {
  const systemsWithOutputs = new Set([
    ...[...Object.entries(outputs.devShells), ...Object.entries(outputs.checks)]
      .filter(([, names]) => names.length > 0)
      .map(([system]) => system),
    ...outputs.configurations.map((c) => c.system),
  ]);
  const followFlake = (row: PlatformRow) =>
    systemsWithOutputs.size === 0 || systemsWithOutputs.has(row.nixSystem);
  return platformRows
    .filter((row) => row.runner !== null)
    .filter((row) => ci.rows[row.id] ?? followFlake(row))
    .map((row) => ({
      id: row.id,
      system: row.nixSystem,
      runner: row.runner!.label,
      kvm: hasUsableKvm(row),
    }));
}

// GitHub's hosted arm runners have no KVM; the guard on the system name keeps
// it so even if a matrix edit claimed otherwise.
export function hasUsableKvm(row: PlatformRow): boolean {
  return row.runner?.kvm === true && !row.nixSystem.startsWith('aarch64-');
}

/** The hosted runner that builds natively for `system`, or null. */
export function runnerForSystem(
  platformRows: readonly PlatformRow[],
  system: string,
): PlatformRow | null {
  return platformRows.find((row) => row.nixSystem === system && row.runner !== null) ?? null;
}
