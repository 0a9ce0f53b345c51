// vm test/run evaluate the named configuration alone and build its runner
// from that one evaluation, with the real Nix on small fixture flakes (no
// QEMU needed: every case stops before a VM would start).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsNix, nixEnv } from '../helpers/nix.js';
import { runAsync } from '../helpers/run-async.js';
import { scratchDirs } from '../helpers/scratch.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const { fresh } = await scratchDirs('crossflake-vm-target-');

// `failing`'s runner derivation fails to build; `broken` throws when evaluated.
const FLAKE = `{
  outputs = { self }: let
    host = vm: { pkgs.stdenv.hostPlatform.system = "x86_64-linux"; config.system.build = vm; };
  in {
    nixosConfigurations = {
      novm = host { };
      failing = host {
        vm = derivation {
          name = "failing";
          system = "x86_64-linux";
          builder = "/bin/sh";
          args = [ "-c" "echo the runner build failed on purpose >&2; exit 1" ];
        };
      };
      broken = throw "broken on purpose";
    };
  };
}
`;

async function flake(): Promise<string> {
  const dir = join(await fresh(), 'flake');
  mkdirSync(dir);
  writeFileSync(join(dir, 'flake.nix'), FLAKE);
  return dir;
}

function vmTest(name: string, dir: string) {
  return runAsync(process.execPath, [bin, 'vm', 'test', name, '--flake', dir], {
    env: nixEnv(),
  });
}

describe.runIf(!needsNix)(`vm test picks one configuration${needsNix}`, () => {
  it('a name the flake lacks is one line naming it, exit 2, though another configuration throws', async () => {
    const r = await vmTest('nope', await flake());
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "crossflake vm test: the flake has no nixosConfigurations.nope (see 'crossflake vm list')",
    );
  });

  it('a configuration without a runner is named, exit 2, though another configuration throws', async () => {
    const r = await vmTest('novm', await flake());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nixosConfigurations.novm has no VM runner');
    expect(r.stderr).not.toContain('broken on purpose');
  });

  it("the named configuration failing to evaluate is Nix's words, exit 1, not an internal error", async () => {
    const r = await vmTest('broken', await flake());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('broken on purpose');
    expect(r.stderr).not.toContain('internal error');
  });

  it("a runner that fails to build is reported with Nix's build log, exit 1", async () => {
    const r = await vmTest('failing', await flake());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('could not build the VM of failing');
    expect(r.stderr).toContain('the runner build failed on purpose');
  });
});
