// The contract with the shared flake: what nix/lib/image-matrix.nix (behind
// lib.mkImages and the crossflake.images output) produces is what the images
// command accepts, names and plans. Evaluated with real Nix, no nixpkgs.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { artifactFileName, parseImageMatrix } from '../../src/images/matrix.js';
import { planImages } from '../../src/images/plan.js';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { hostFacts } from './helpers.js';

const matrixFile = 'nix/lib/image-matrix.nix';

describe.skipIf(!nixVersion || !existsSync(matrixFile))(
  `crossflake.images from nix/lib/image-matrix.nix${needsNix}`,
  () => {
    it('parses, names artifacts as the issue says and plans the foreign system as skipped', () => {
      const call = `import ./${matrixFile} { name = "company-nixos"; formats = [ "wsl" "qcow2" "iso" "docker" "sd-card" ]; systems = [ "x86_64-linux" "aarch64-linux" ]; }`;
      const json = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', call], {
        env: nixEnv(),
        encoding: 'utf8',
      });
      const images = parseImageMatrix(JSON.parse(json), matrixFile);
      const wsl = images.find((i) => i.format === 'wsl' && i.system === 'x86_64-linux');
      expect(wsl).toMatchObject({
        kind: 'root-program',
        attr: 'packages.x86_64-linux.company-nixos-wsl',
      });
      expect(artifactFileName(wsl!, '2026.11')).toBe('company-nixos-wsl-x86_64-linux-2026.11.wsl');
      const plan = planImages(images, hostFacts());
      const skipped = plan.entries.filter((e) => e.action === 'skip').map((e) => e.image.system);
      expect(new Set(skipped)).toEqual(new Set(['aarch64-linux']));
    });
  },
);
