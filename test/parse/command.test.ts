// `crossflake parse` through the built CLI, on real files in a temp dir.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cf-parse-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = join(dir, 'good.nix');
const bad = join(dir, 'bad.nix');
writeFileSync(good, '{ pkgs, ... }:\n{\n  imports = [ ./hw.nix ];\n  x = "é${pkgs.y}";\n}\n');
writeFileSync(bad, '{\n  a = 1;\n  b = ;\n}\n');

const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, 'parse', ...args], { cwd: dir, encoding: 'utf8', input });

describe('crossflake parse', () => {
  it('exits 0 and says so when every file parses', () => {
    const res = cli(['good.nix']);
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('1 file parsed, no problems\n');
  });

  it('prints file:line:column for each problem and exits 1', () => {
    const res = cli(['good.nix', 'bad.nix']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^bad\.nix:3:7: error: syntax error, unexpected ';'/m);
  });

  it('reads standard input for -', () => {
    const res = cli(['-'], 'x: y');
    expect(res.status).toBe(1);
    expect(res.stderr).toBe("(stdin):1:4: error: undefined variable 'y'\n");
  });

  it('--json gives the tree with byte offsets and diagnostics', () => {
    const res = cli(['--json', 'good.nix', 'bad.nix']);
    const out = (
      JSON.parse(res.stdout) as {
        files: { file: string; diagnostics: unknown[]; tree: { type: string; end: number } }[];
      }
    ).files;
    expect(out.map((f) => [f.file, f.tree.type, f.diagnostics.length])).toEqual([
      ['good.nix', 'Lambda', 0],
      ['bad.nix', 'Attrs', 1],
    ]);
    expect((out[0] as unknown as { trivia: { kind: string }[] }).trivia[0]).toMatchObject({
      kind: 'whitespace',
    });
    expect(out[0]!.tree.end).toBe(
      Buffer.byteLength('{ pkgs, ... }:\n{\n  imports = [ ./hw.nix ];\n  x = "é${pkgs.y}";\n}'),
    );
  });

  it('refuses --json with --print-nix, and a missing file, with exit 2', () => {
    expect(cli(['--json', '--print-nix', 'good.nix']).status).toBe(2);
    const missing = cli(['nope.nix']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read nope.nix');
  });

  it.skipIf(!nixVersion)(
    `--print-nix resolves a symlinked file's relative paths where the link points, as nix does${needsNix}`,
    () => {
      mkdirSync(join(dir, 'real'), { recursive: true });
      writeFileSync(join(dir, 'real/target.nix'), '{ a = ./x.nix; }\n');
      symlinkSync('real/target.nix', join(dir, 'link.nix'));
      const ours = cli(['--print-nix', 'link.nix', 'good.nix']);
      const nix = execFileSync('nix-instantiate', ['--parse', 'link.nix', 'good.nix'], {
        cwd: dir,
        env: nixEnv(),
        encoding: 'utf8',
      });
      expect(ours.status).toBe(0);
      expect(ours.stdout).toContain(`${dir}/real/x.nix`);
      expect(ours.stdout).toBe(nix);
    },
  );

  it.skipIf(!nixVersion)(
    `--print-nix prints what nix-instantiate --parse prints${needsNix}`,
    () => {
      const ours = cli(['--print-nix', 'good.nix']);
      const nix = execFileSync('nix-instantiate', ['--parse', 'good.nix'], {
        cwd: dir,
        env: nixEnv(),
        encoding: 'utf8',
      });
      expect(ours.status).toBe(0);
      expect(ours.stdout).toBe(nix);
    },
  );
});
