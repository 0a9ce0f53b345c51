// The exports model behind EXPORTS.md and docs lint: every export with a
// one-line description taken from the Nix code (see describe.ts).
import type { ConfigGroup, ModuleGroup, Position, RawOutline } from './outline.js';
import { CONFIG_GROUPS, MODULE_GROUPS, repoRelative } from './outline.js';
import {
  bindingText,
  commentAbove,
  fileDescription,
  relativePaths,
  resolveIn,
} from './describe.js';

export interface ExportEntry {
  name: string;
  description: string;
  /** "file:line" in the repository, when Nix knows where it is bound. */
  source: string | null;
}

export interface ShellEntry extends ExportEntry {
  systems: string[];
}

export interface ExportsModel {
  groups: Record<ModuleGroup | ConfigGroup, ExportEntry[]>;
  devShells: ShellEntry[];
  packages: ShellEntry[];
  templates: ExportEntry[];
  images: RawOutline['images'];
}

/** Reads a repository file (relative path), or null; injected so the model stays testable. */
export interface RepoReader {
  read(path: string): string | null;
  isDir(path: string): boolean;
}

function describeAt(
  pos: Position | null,
  siblings: string[],
  reader: RepoReader,
): ExportEntry['description'] {
  if (!pos) return '';
  const file = repoRelative(pos.file);
  const source = reader.read(file);
  if (source === null) return '';
  const binding = bindingText(source, pos.line);
  const alias = /^\s*[\w'-]+\s*=\s*(?:[\w'-]+\.)*([\w'-]+)\s*;/.exec(binding);
  if (alias && siblings.includes(alias[1]!)) return `Alias of \`${alias[1]}\`.`;
  const inherited = /^\s*inherit\s*\(([\w.]+)\)\s*([\w'-]+)/.exec(binding);
  if (inherited) return `Same as \`${inherited[1]!.replace(/^self\./, '')}.${inherited[2]}\`.`;
  // A bundle of files (base + adapter) is best described by its last, most specific file.
  for (const rel of relativePaths(binding).reverse()) {
    const target = resolveIn(file, rel, (p) => reader.isDir(p));
    const text = target.endsWith('.nix') ? reader.read(target) : null;
    const description = text === null ? '' : fileDescription(text);
    if (description) return description;
  }
  return commentAbove(source, pos.line);
}

function entries(set: Record<string, Position | null>, reader: RepoReader): ExportEntry[] {
  const names = Object.keys(set).sort();
  return names.map((name) => ({
    name,
    description: describeAt(set[name] ?? null, names, reader),
    source: set[name] ? `${repoRelative(set[name]!.file)}:${set[name]!.line}` : null,
  }));
}

function perSystem(
  bySystem: Record<string, Record<string, Position | null>>,
  reader: RepoReader,
): ShellEntry[] {
  const found = new Map<string, { systems: string[]; pos: Position | null }>();
  for (const [system, set] of Object.entries(bySystem).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [name, pos] of Object.entries(set)) {
      const e = found.get(name) ?? { systems: [], pos };
      e.systems.push(system);
      found.set(name, e);
    }
  }
  const names = [...found.keys()].sort();
  return names.map((name) => {
    const { systems, pos } = found.get(name)!;
    return {
      name,
      systems,
      description: describeAt(pos, names, reader),
      source: pos ? `${repoRelative(pos.file)}:${pos.line}` : null,
    };
  });
}

export function buildModel(raw: RawOutline, reader: RepoReader): ExportsModel {
  const groups = {} as ExportsModel['groups'];
  for (const g of [...MODULE_GROUPS, ...CONFIG_GROUPS])
    groups[g] = entries(raw.groups[g] ?? {}, reader);
  const templates = Object.keys(raw.templates)
    .sort()
    .map((name) => {
      const t = raw.templates[name]!;
      return {
        name,
        description: t.description,
        source: t.pos ? `${repoRelative(t.pos.file)}:${t.pos.line}` : null,
      };
    });
  return {
    groups,
    devShells: perSystem(raw.devShells, reader),
    packages: perSystem(raw.packages, reader),
    templates,
    images: raw.images,
  };
}
