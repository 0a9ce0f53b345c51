// The closed sets of values crossflake knows, for completion: templates from
// the templates folder, systems from the support matrix, formats from the
// image library, check steps from check's own list.
import platforms from '../../data/platforms.json' with { type: 'json' };
import type { ValueRule } from './model.js';
import { SHELLS } from './model.js';

/**
 * The attribute names of nix/lib/image-formats.nix, the formats mkImages
 * builds. The Nix file is not in the npm package, so the names are kept here;
 * test/completion evaluates the file with real nix and fails if they differ.
 */
export const IMAGE_FORMATS = [
  'docker',
  'iso',
  'qcow2',
  'qcow2-efi',
  'raw-efi',
  'sd-card',
  'virtualbox',
  'vmware',
  'wsl',
] as const;

export function nixSystems(): string[] {
  return [...new Set(platforms.rows.map((r) => r.nixSystem))].sort();
}

export interface Known {
  templates: readonly string[];
  checkSteps: readonly string[];
}

export function valueRules(known: Known): ValueRule[] {
  const systems = nixSystems();
  return [
    { command: 'init', flag: null, values: known.templates },
    // --only takes formats and systems (issue 18: kinds intersect).
    { command: 'images', flag: 'only', values: [...IMAGE_FORMATS, ...systems] },
    { command: 'check', flag: 'only', values: known.checkSteps },
    { command: 'check', flag: 'allow-skip', values: known.checkSteps },
    { command: 'completion', flag: null, values: SHELLS },
  ];
}
