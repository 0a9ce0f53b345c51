// Whether a ci.crossflakeCommand fetches a package by name without an exact
// version (`npx --yes crossflake`, `npm exec crossflake@latest`): whoever
// publishes that name next runs code in the team's CI, with its secrets.
// Pure: reads the command text, runs nothing.
import semver from 'semver';

const NPX_FLAGS_WITH_VALUE = new Set([
  '-p',
  '--package',
  '-c',
  '--call',
  '--cache',
  '--userconfig',
]);

/** The package specs an npx / npm exec invocation in `command` fetches. */
export function fetchedPackages(command: string): string[] {
  const words = command.trim().split(/\s+/);
  const specs: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const base = word.slice(word.lastIndexOf('/') + 1);
    let start = -1;
    if (base === 'npx') start = i + 1;
    else if (base === 'npm' && ['exec', 'x'].includes(words[i + 1] ?? '')) start = i + 2;
    if (start < 0) continue;
    let explicit = false;
    for (let j = start; j < words.length; j++) {
      const w = words[j]!;
      if (w === '--') break;
      if (w.startsWith('--package=')) {
        specs.push(w.slice('--package='.length));
        explicit = true;
      } else if (w === '-p' || w === '--package') {
        specs.push(words[++j] ?? '');
        explicit = true;
      } else if (NPX_FLAGS_WITH_VALUE.has(w)) {
        j++;
      } else if (!w.startsWith('-')) {
        // Without --package, the first word is the package (and its bin).
        if (!explicit) specs.push(w);
        break;
      }
    }
  }
  return specs;
}

/** True when the spec names one published version: `name@1.2.3`, `@scope/name@1.2.3`. */
export function isExactSpec(spec: string): boolean {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return false;
  const name = spec.slice(0, at);
  if (/[:#]/.test(name) || name.startsWith('.') || name.startsWith('/')) return false;
  return semver.valid(spec.slice(at + 1)) !== null;
}

/** The first package the command fetches without an exact version, or null. */
export function unpinnedPackage(command: string | null): string | null {
  if (!command) return null;
  return fetchedPackages(command).find((spec) => !isExactSpec(spec)) ?? null;
}
