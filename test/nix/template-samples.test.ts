// The template checks evaluate committed renders (nix/checks/samples), so
// (1) those renders must be exactly what `crossflake init` makes today, and
// (2) the checks must evaluate under `nix flake check --no-build`, which runs
// in read-only mode: there builtins.toFile writes nothing, and the earlier
// design (render in Nix, import the toFile results) failed with "path ... is
// not valid" (or, on Nix 2.8, "forbidden in pure eval mode") on every run
// whose store did not already hold the files.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';
import { render } from '../../src/templates/render.js';
import { checkAll } from '../../src/templates/validate.js';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { repoRoot, runNix } from './helpers.js';

const samplesDir = path.join(repoRoot, 'nix/checks/samples');
const FIX = 'npm run build && node scripts/render-samples.mjs';

/** Every file below `dir`, as sorted relative paths with '/' separators. */
function filesBelow(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('nix/checks/samples: every sample of every template, as init renders it today', () => {
  it('has one folder per sample and nothing else', async () => {
    const templates = await loadAll(embeddedTemplatesDir());
    const want = templates
      .flatMap((t) => t.spec.samples.map((_, i) => `${t.spec.name}-${i}`))
      .sort();
    expect(readdirSync(samplesDir).sort(), `stale samples: run ${FIX}`).toEqual(want);
  });

  it('holds exactly the files and texts init renders from each sample', async () => {
    for (const template of await loadAll(embeddedTemplatesDir())) {
      for (const [index, sample] of template.spec.samples.entries()) {
        const { values, problems } = checkAll(template.spec, sample);
        expect(problems).toEqual([]);
        const want = render(template, values);
        const dir = path.join(samplesDir, `${template.spec.name}-${index}`);
        const where = `${template.spec.name} sample ${index} (stale: run ${FIX})`;
        expect(filesBelow(dir), where).toEqual([...want.keys()].sort());
        for (const [file, text] of want) {
          expect(readFileSync(path.join(dir, file), 'utf8'), `${where}: ${file}`).toBe(text);
        }
      }
    }
  });
});

describe.skipIf(!nixVersion)(
  `template checks under nix flake check --no-build (read-only, pure)${needsNix}`,
  () => {
    const dirs: string[] = [];
    afterAll(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    // A flake whose checks are template-configs.nix over one template with
    // one sample: its rendered flake imports a file of its own folder, as
    // the real samples do (./home.nix, ./hosts/<host>).
    function fixture(): string {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'crossflake-samples-'));
      dirs.push(dir);
      mkdirSync(path.join(dir, 'templates/t'), { recursive: true });
      mkdirSync(path.join(dir, 'samples/t-0/templates/colleague'), { recursive: true });
      cpSync(
        path.join(repoRoot, 'nix/checks/template-configs.nix'),
        path.join(dir, 'template-configs.nix'),
      );
      const system = { name: 'system', type: 'enum', default: 'x86_64-linux' };
      writeFileSync(
        path.join(dir, 'templates/t/template.json'),
        JSON.stringify({ name: 't', parameters: [system], samples: [{}] }),
      );
      writeFileSync(
        path.join(dir, 'samples/t-0/flake.nix'),
        '{ outputs = { ... }: { nixosConfigurations.host = { marker = import ./marker.nix; }; }; }\n',
      );
      writeFileSync(path.join(dir, 'samples/t-0/marker.nix'), '"rendered"\n');
      writeFileSync(
        path.join(dir, 'samples/t-0/templates/colleague/flake.nix'),
        '{ inputs.team.url = "github:acme/team"; outputs = { team, ... }: { nixosConfigurations.mate = { marker = "nested-${team.nixosConfigurations.host.marker}"; }; }; }\n',
      );
      writeFileSync(
        path.join(dir, 'flake.nix'),
        `{
  outputs = { self }: {
    checks.x86_64-linux = builtins.mapAttrs (name: entry: derivation {
      inherit name;
      system = "x86_64-linux";
      builder = "/bin/sh";
      args = [ "-c" "echo \${entry.value.marker} > $out" ];
    }) (import ./template-configs.nix {
      templates.t.path = ./templates/t;
      samples = ./samples;
      inputs = { };
      shared = { };
    } "x86_64-linux");
  };
}
`,
      );
      for (const args of [
        ['init', '-q'],
        ['add', '-A'],
      ]) {
        runNix('git', ['-C', dir, ...args]);
      }
      return dir;
    }

    it('evaluates every sample configuration, nested flakes included', () => {
      const dir = fixture();
      const check = runNix('nix', ['flake', 'check', '--no-build', dir]);
      expect(check.stderr, 'nix flake check --no-build').not.toMatch(/error:/);
      expect(check.code).toBe(0);
      const names = runNix('nix', [
        'eval',
        '--json',
        `${dir}#checks.x86_64-linux`,
        '--apply',
        'cs: builtins.mapAttrs (n: c: c.name) cs',
      ]);
      expect(JSON.parse(names.stdout)).toEqual({
        'template-t-0-colleague-nixos-mate': 'template-t-0-colleague-nixos-mate',
        'template-t-0-nixos-host': 'template-t-0-nixos-host',
      });
    });
  },
);
