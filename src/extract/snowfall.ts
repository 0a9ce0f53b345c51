// snowfall-lib loads a flake from directories instead of imports: every
// systems/<system>/<host>/default.nix is a configuration (darwin when the
// system ends in -darwin), every homes/<system>/<user>@<host>/default.nix a
// home configuration, every modules/<nixos|darwin|home>/<path>/default.nix a
// module exported under its path (`nixosModules."services/tailscale"`), and
// packages/, overlays/, lib/, shells/ and checks/ hold other Nix. This reads
// that layout from the file list, as if the flake had written it out.
import type { Configuration, FlakeExport, ImportEdge } from './model.js';
import type { RepoFiles } from './paths.js';

export interface SnowfallSite {
  /** flake.nix (the file with the mkFlake call). */
  file: string;
  /** The directory `src` names, relative to the repo root ('' for the root). */
  dir: string;
  line: number;
  column: number;
  start: number;
  end: number;
  /** The `src` expression's text, e.g. `./.`. */
  text: string;
}

export interface SnowfallLayout {
  edges: ImportEdge[];
  configurations: Configuration[];
  exports: FlakeExport[];
  /** Files that are packages, overlays, library code, shells or checks. */
  others: Set<string>;
}

const MODULE_OUTPUT: Record<string, string> = {
  nixos: 'nixosModules',
  darwin: 'darwinModules',
  home: 'homeModules',
};
const OTHER_DIRS = new Set(['packages', 'overlays', 'lib', 'shells', 'checks', 'templates']);

export function snowfallLayout(site: SnowfallSite, repo: RepoFiles): SnowfallLayout {
  const out: SnowfallLayout = { edges: [], configurations: [], exports: [], others: new Set() };
  const prefix = site.dir ? `${site.dir}/` : '';
  const edge = (to: string): void => {
    out.edges.push({
      from: site.file,
      to,
      kind: 'auto-import',
      via: 'snowfall-lib',
      line: site.line,
      column: site.column,
      start: site.start,
      end: site.end,
      text: site.text,
    });
  };
  for (const file of [...repo.files].sort()) {
    if (!file.startsWith(prefix)) continue;
    const parts = file.slice(prefix.length).split('/');
    const [top, second, third] = parts;
    if (top && OTHER_DIRS.has(top)) {
      out.others.add(file);
      continue;
    }
    if (parts.at(-1) !== 'default.nix') continue;
    if (top === 'systems' && parts.length === 4 && second && third) {
      const darwin = second.endsWith('-darwin');
      out.configurations.push({
        output: darwin ? 'darwinConfigurations' : 'nixosConfigurations',
        name: third,
        host: third,
        file: site.file,
        line: site.line,
        modules: [file],
      });
      edge(file);
    } else if (top === 'homes' && parts.length === 4 && second && third) {
      const at = third.indexOf('@');
      const conf: Configuration = {
        output: 'homeConfigurations',
        name: third,
        user: at >= 0 ? third.slice(0, at) : third,
        file: site.file,
        line: site.line,
        modules: [file],
      };
      if (at >= 0) conf.host = third.slice(at + 1);
      out.configurations.push(conf);
      edge(file);
    } else if (top === 'modules' && second && MODULE_OUTPUT[second] && parts.length >= 4) {
      out.exports.push({
        output: MODULE_OUTPUT[second]!,
        name: parts.slice(2, -1).join('/'),
        file: site.file,
        line: site.line,
        targets: [file],
      });
      edge(file);
    }
  }
  return out;
}
