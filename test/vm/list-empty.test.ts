// vm list on flakes that have no VMs, with the real Nix (no QEMU needed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsNix, nixEnv } from '../helpers/nix.js';
import { runAsync } from '../helpers/run-async.js';
import { scratchDirs } from '../helpers/scratch.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const { fresh } = await scratchDirs('crossflake-vm-list-');

async function flakeWith(outputs: string): Promise<string> {
  const dir = join(await fresh(), 'flake');
  mkdirSync(dir);
  writeFileSync(join(dir, 'flake.nix'), `{ outputs = { self }: ${outputs}; }\n`);
  return dir;
}

describe.runIf(!needsNix)(`vm list without VMs${needsNix}`, () => {
  it('a flake without nixosConfigurations has none to list (not an internal error)', async () => {
    const dir = await flakeWith('{ }');
    const r = await runAsync(process.execPath, [bin, 'vm', 'list', '--flake', dir, '--json'], {
      env: nixEnv(),
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schema: 'crossflake/vm/v1', ok: true, vms: [] });
  });

  it("a flake Nix cannot evaluate is one line with Nix's words, exit 1", async () => {
    const dir = await flakeWith('{ nixosConfigurations = throw "broken on purpose"; }');
    const r = await runAsync(process.execPath, [bin, 'vm', 'list', '--flake', dir], {
      env: nixEnv(),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('broken on purpose');
    expect(r.stderr).not.toContain('internal error');
  });
});
