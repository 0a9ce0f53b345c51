// Which version a build gets. A VERSION file (semver) wins; otherwise CalVer
// YYYY.MM, and YYYY.MM.N once that month already has a release, so two
// releases never share a version. Pure: the clock and dist/ come in as data.
import { UserError } from '../command.js';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const SAFE_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]*$/;

export interface VersionInputs {
  now: Date;
  /** Content of the repo's VERSION file, or null when there is none. */
  versionFile: string | null;
  /** Versions in dist/ that were already released. */
  released: readonly string[];
  /** An explicit --version. */
  override?: string;
}

export interface ChosenVersion {
  version: string;
  source: 'override' | 'VERSION' | 'calver';
}

export function isSafeVersion(version: string): boolean {
  return SAFE_VERSION.test(version) && !version.includes('..');
}

export function calverBase(now: Date): string {
  return `${now.getUTCFullYear()}.${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `2026.11`, or `2026.11.N` (N = 1, 2, ...) when the earlier ones are released. */
export function nextCalver(now: Date, released: readonly string[]): string {
  const base = calverBase(now);
  const taken = new Set(released);
  if (!taken.has(base)) return base;
  for (let n = 1; ; n++) {
    if (!taken.has(`${base}.${n}`)) return `${base}.${n}`;
  }
}

export function chooseVersion(inputs: VersionInputs): ChosenVersion {
  if (inputs.override !== undefined) {
    if (!isSafeVersion(inputs.override)) {
      throw new UserError(`--version '${inputs.override}' is not a valid version`);
    }
    return { version: inputs.override, source: 'override' };
  }
  if (inputs.versionFile !== null) {
    const version = inputs.versionFile.trim().replace(/^v/, '');
    if (!SEMVER.test(version)) {
      throw new UserError(
        `VERSION: '${inputs.versionFile.trim()}' is not a semantic version (1.2.3)`,
      );
    }
    return { version, source: 'VERSION' };
  }
  return { version: nextCalver(inputs.now, inputs.released), source: 'calver' };
}

/** Orders versions (CalVer or semver) numerically, pre-release tags last-resort lexically. */
export function compareVersionStrings(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = Number(x);
    const ny = Number(y);
    const d = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (d !== 0) return d;
  }
  return 0;
}
