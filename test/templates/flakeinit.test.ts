// Plain `nix flake init -t <flake>#<name>` (no crossflake CLI) works on the
// templates output that nix/templates.nix defines, and gives each template as
// it is; `nix flake check` accepts the output.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';

const templates = await loadAll(embeddedTemplatesDir());
const work = await mkdtemp(join(tmpdir(), 'cf-flakeinit-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe.skipIf(!nixVersion)(`nix flake init -t on the templates output${needsNix}`, async () => {
  // A small flake whose only output is the real nix/templates.nix over the real templates/.
  const flake = join(work, 'flake');
  await mkdir(join(flake, 'nix'), { recursive: true });
  await cp('templates', join(flake, 'templates'), { recursive: true });
  await cp('nix/templates.nix', join(flake, 'nix', 'templates.nix'));
  await writeFile(join(flake, 'flake.nix'), '{ outputs = _: { templates = import ./nix/templates.nix; }; }\n');

  it('nix flake check accepts the templates output', () => {
    execFileSync('nix', ['flake', 'check', `path:${flake}`], { env: nixEnv(), stdio: 'pipe' });
  });

  for (const template of templates) {
    it(`${template.spec.name}: copied as it is, with its welcome text`, async () => {
      const out = join(work, `init-${template.spec.name}`);
      await mkdir(out);
      const res = execFileSync('nix', ['flake', 'init', '-t', `path:${flake}#${template.spec.name}`], {
        cwd: out,
        env: nixEnv(),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(typeof res).toBe('string');
      for (const [path, text] of template.files) {
        expect(await readFile(join(out, path), 'utf8'), path).toBe(text);
      }
    });
  }
});
