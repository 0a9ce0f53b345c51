// Every shipped template, instantiated with several parameter sets (both
// Linux systems, both Darwin systems), written through the real write path
// and parsed by the real nix-instantiate.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import {
  ALL_SYSTEMS,
  checkRendered,
  leftoverPlaceholders,
  personalValues,
  systemFindings,
} from '../../src/templates/check.js';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';
import { render } from '../../src/templates/render.js';
import { nixInstantiateParser } from '../../src/templates/selftest.js';
import { checkAll } from '../../src/templates/validate.js';
import { writeTree } from '../../src/templates/write.js';

const templates = await loadAll(embeddedTemplatesDir());
const root = await mkdtemp(join(tmpdir(), 'cf-templates-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the shipped templates', () => {
  it('are exactly wsl-nixos, wsl-home, darwin, bare-metal and team', () => {
    expect(templates.map((t) => t.spec.name).sort()).toEqual(
      ['bare-metal', 'darwin', 'team', 'wsl-home', 'wsl-nixos'],
    );
  });

  it('use the same parameter names for the same meaning', () => {
    const common = ['username', 'hostname', 'system', 'fullName', 'email', 'sharedFlake', 'timezone'];
    const byName = new Map<string, string[]>();
    for (const t of templates) {
      for (const p of t.spec.parameters) {
        if (common.includes(p.name)) byName.set(p.name, [...(byName.get(p.name) ?? []), p.rule]);
      }
    }
    // Same name -> same rule wording everywhere (system differs only in its choices).
    for (const [name, rules] of byName) {
      if (name !== 'system') expect(new Set(rules).size, name).toBe(1);
    }
    expect(templates.every((t) => t.spec.parameters.some((p) => p.name === 'sharedFlake'))).toBe(true);
  });

  it("samples cover every system each template offers (both Linux, both Darwin)", () => {
    const covered = new Set<string>();
    for (const t of templates) {
      const system = t.spec.parameters.find((p) => p.name === 'system');
      if (!system) continue;
      const sampled = new Set(t.spec.samples.map((s) => s.system));
      expect([...sampled].sort(), t.spec.name).toEqual([...(system.choices ?? [])].sort());
      for (const s of sampled) covered.add(String(s));
    }
    expect([...covered].sort()).toEqual([...ALL_SYSTEMS].sort());
  });

  for (const template of templates) {
    for (const [index, sample] of template.spec.samples.entries()) {
      const label = `${template.spec.name} with ${JSON.stringify(sample.system ?? 'no system')} (sample ${index})`;
      it(`${label}: no placeholder left, no personal value, the chosen system only`, () => {
        const { values, problems } = checkAll(template.spec, sample);
        expect(problems).toEqual([]);
        const files = render(template, values);
        expect(checkRendered(template.spec, values, files)).toEqual([]);
        if (typeof values.system === 'string') {
          expect(files.get('flake.nix')).toContain(`system = "${values.system}";`);
        }
      });
    }
  }
});

describe('the checks catch what they are for', () => {
  const wsl = templates.find((t) => t.spec.name === 'wsl-nixos')!;
  const values = checkAll(wsl.spec, wsl.spec.samples[0]!).values;

  it('a hard-coded other system is found, with file and line', () => {
    const files = new Map([['flake.nix', 'a\nsystem = "aarch64-darwin";\n' + `"${values.system}"`]]);
    expect(systemFindings(wsl.spec, values, files)).toEqual([
      { file: 'flake.nix', line: 2, message: 'mentions aarch64-darwin, not the chosen system' },
    ]);
  });

  it('a chosen system that appears nowhere is found', () => {
    expect(systemFindings(wsl.spec, values, new Map([['a.nix', '{}']]))).toHaveLength(1);
  });

  it('a leftover placeholder is found', () => {
    const files = new Map([['hosts/crossflake-host/x.nix', 'user = "crossflake-user";']]);
    const found = leftoverPlaceholders(wsl.spec, values, files).map((f) => f.message).sort();
    expect(found).toEqual([
      'file name keeps placeholder crossflake-host',
      'placeholder "crossflake-user" left over',
    ]);
  });

  it("someone else's e-mail, home or Windows path is found; the user's own are not", () => {
    const files = new Map([
      [
        'home.nix',
        [
          'email = "bob@corp.example";',
          'dir = "/home/bob/.nix-profile";',
          'mac = "/Users/bob";',
          'win = "/mnt/c/Users/bob/Desktop";',
          `ok = "${String(values.email)}"; own = "/home/${String(values.username)}";`,
          'generic = "/home/${params.username}";',
        ].join('\n'),
      ],
    ]);
    expect(personalValues(values, files).map((f) => f.line)).toEqual([1, 2, 3, 4]);
  });
});

describe.skipIf(!nixVersion)(`every instance parses with nix-instantiate --parse${needsNix}`, () => {
  const parse = nixInstantiateParser(nixEnv());

  for (const template of templates) {
    it(`${template.spec.name} as it is (what nix flake init copies)`, async () => {
      const dir = join(root, `${template.spec.name}-as-is`);
      for (const [path, text] of template.files) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      for (const path of template.files.keys()) {
        if (path.endsWith('.nix')) expect(await parse(join(dir, path)), path).toBeNull();
      }
    });

    for (const [index, sample] of template.spec.samples.entries()) {
      it(`${template.spec.name} sample ${index} (${String(sample.system)})`, async () => {
        const values = checkAll(template.spec, sample).values;
        const files = render(template, values);
        const dir = join(root, `${template.spec.name}-${index}`);
        await writeTree(dir, files);
        const nixFiles = [...files.keys()].filter((p) => p.endsWith('.nix'));
        expect(nixFiles.length).toBeGreaterThan(0);
        for (const path of nixFiles) expect(await parse(join(dir, path)), path).toBeNull();
      });
    }
  }

  it('a broken file is reported with nix error text naming the file and line', async () => {
    const file = join(root, 'broken.nix');
    await writeFile(file, '{\n  a = "x\\" ;\n');
    const complaint = await parse(file);
    expect(complaint).toMatch(/broken\.nix:\d+/);
  });
});
