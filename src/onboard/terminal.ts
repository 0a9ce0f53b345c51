// Windows Terminal profiles for imported distros. `wsl --import` leaves
// Terminal's generated profile half-working (WSL issues 13064, 13129, 13339),
// so onboard writes its own profile in a JSON fragment and hides the
// generated one. Everything here is pure; terminal-files.ts does the writing.
import { win32 } from 'node:path';
import {
  braced,
  RUNTIME_PROFILE_NAMESPACE,
  TERMINAL_PROFILE_NAMESPACE,
  uuidV5Utf16,
} from './uuid.js';

/** Our fragment folder name: Terminal uses it as the fragments' source. */
export const FRAGMENT_APP = 'crossflake';
/** Key of the marker object in every fragment crossflake writes. */
export const MARKER_KEY = 'crossflake';
const REGISTRY_GUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/;

/** The GUID Terminal's WSL generator gives the profile of distro `name`. */
export function generatedProfileGuid(name: string): string {
  return braced(uuidV5Utf16(TERMINAL_PROFILE_NAMESPACE, name));
}

/** The namespace Terminal derives for the fragments in folder `app`. */
export function fragmentNamespace(app: string): string {
  return uuidV5Utf16(RUNTIME_PROFILE_NAMESPACE, app);
}

/**
 * Our profile's GUID: v5 of the distro's registry GUID in our fragment
 * namespace. Keyed on the registry GUID, not the name, so a distro that is
 * replaced under the same name gets a new profile and the old one is an orphan.
 */
export function crossflakeProfileGuid(registryGuid: string): string {
  return braced(uuidV5Utf16(fragmentNamespace(FRAGMENT_APP), normaliseGuid(registryGuid)));
}

export function normaliseGuid(guid: string): string {
  const g = braced(guid);
  if (!REGISTRY_GUID.test(g)) throw new Error(`not a registry GUID: '${guid}'`);
  return g;
}

export function fragmentDir(localAppData: string): string {
  return win32.join(localAppData, 'Microsoft', 'Windows Terminal', 'Fragments', FRAGMENT_APP);
}

export function fragmentFileName(registryGuid: string): string {
  return `wsl-${normaliseGuid(registryGuid).slice(1, -1)}.json`;
}

export interface RegisteredDistro {
  name: string;
  /** `{...}` key under HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss. */
  guid: string;
}

export interface Fragment {
  [MARKER_KEY]: { writtenBy: string; distro: string; distroGuid: string };
  profiles: Record<string, unknown>[];
}

export function renderFragment(
  distro: RegisteredDistro,
  wslExe: string,
  version: string,
): Fragment {
  return {
    [MARKER_KEY]: {
      writtenBy: `crossflake ${version} (onboard wsl); removed by crossflake when the distro is gone`,
      distro: distro.name,
      distroGuid: normaliseGuid(distro.guid),
    },
    profiles: [
      // Hide the generator's profile so the distro is not listed twice.
      { updates: generatedProfileGuid(distro.name), hidden: true },
      {
        guid: crossflakeProfileGuid(distro.guid),
        name: distro.name,
        commandline: `${wslExe} -d ${distro.name} --cd ~`,
        hidden: false,
      },
    ],
  };
}

/**
 * `reg.exe query HKCU\...\Lxss /s /v DistributionName`: a key line per
 * distro, then "    DistributionName    REG_SZ    <name>".
 */
export function parseRegLxss(text: string): RegisteredDistro[] {
  const found: RegisteredDistro[] = [];
  let guid: string | null = null;
  for (const line of text.replace(/\0/g, '').split(/\r?\n/)) {
    const key = /\\Lxss\\(\{[0-9a-fA-F-]{36}\})\s*$/i.exec(line.trim());
    if (key) {
      guid = key[1]!.toLowerCase();
      continue;
    }
    const value = /^\s+DistributionName\s+REG_SZ\s+(\S.*?)\s*$/.exec(line);
    if (value && guid) {
      found.push({ name: value[1]!, guid });
      guid = null;
    }
  }
  return found;
}

/** A fragment file is ours when it parses and carries our marker. */
export function ourFragment(content: string): Fragment | null {
  try {
    const data = JSON.parse(content) as Partial<Fragment>;
    const marker = data?.[MARKER_KEY];
    if (!marker || typeof marker.distroGuid !== 'string' || !REGISTRY_GUID.test(marker.distroGuid))
      return null;
    return data as Fragment;
  } catch {
    return null;
  }
}

/** Files (by name) of our fragments whose distro is no longer registered. */
export function orphanFragments(
  files: readonly { name: string; content: string }[],
  registered: readonly RegisteredDistro[],
): string[] {
  const live = new Set(registered.map((d) => normaliseGuid(d.guid)));
  return files
    .filter((f) => f.name.endsWith('.json'))
    .filter((f) => {
      const fragment = ourFragment(f.content);
      return fragment !== null && !live.has(fragment[MARKER_KEY].distroGuid);
    })
    .map((f) => f.name);
}
