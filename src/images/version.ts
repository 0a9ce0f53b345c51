// Which version a build gets. A VERSION file (semver) wins; otherwise CalVer
// YYYY.MM, and YYYY.MM.N once that month already has a release, so two
// releases never share a version. Pure: the clock and dist/ come in as data.
import semver from 'semver';
import { UserError } from '../command.js';

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
      throw new UserError(`--image-version '${inputs.override}' is not a valid version`);
    }
    return { version: inputs.override, source: 'override' };
  }
  if (inputs.versionFile !== null) {
    const version = inputs.versionFile.trim().replace(/^v/, '');
    if (semver.valid(version) === null) {
      throw new UserError(
        `VERSION: '${inputs.versionFile.trim()}' is not a semantic version (1.2.3)`,
      );
    }
    return { version, source: 'VERSION' };
  }
  return { version: nextCalver(inputs.now, inputs.released), source: 'calver' };
}

const CALVER = /^(\d{4})\.(\d{1,2})(?:\.(\d+))?$/;

/** CalVer YYYY.MM[.N] as numbers; YYYY.MM is the month's first release (N = 0). */
function calverParts(version: string): number[] | null {
  const m = CALVER.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Anything else: numeric dotted core, and a pre-release before its release. */
function compareLoosely(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', ...pre] = v.split('+')[0]!.split('-');
    return { core: core.split('.').map((p) => Number.parseInt(p, 10) || 0), pre: pre.join('-') };
  };
  const x = split(a);
  const y = split(b);
  const d = compareNumbers(x.core, y.core);
  if (d !== 0) return d;
  if (x.pre === y.pre) return 0;
  if (x.pre === '') return 1;
  if (y.pre === '') return -1;
  return x.pre < y.pre ? -1 : 1;
}

/**
 * Orders versions: CalVer YYYY.MM < YYYY.MM.1 < YYYY.MM.2 < the next month
 * (docs/images.md), semver by its rules (1.0.0-rc.1 < 1.0.0), ties broken by
 * the text so the order is total.
 */
export function compareVersionStrings(a: string, b: string): number {
  const ca = calverParts(a);
  const cb = calverParts(b);
  let d: number;
  if (ca && cb) d = compareNumbers(ca, cb);
  else if (semver.valid(a) && semver.valid(b)) d = semver.compare(a, b);
  else d = compareLoosely(a, b);
  return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
}
