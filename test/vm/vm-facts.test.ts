// The narrower host probe `vm run`/`vm test`/`vm list` use instead of
// doctor's: the same accelerator decision as the full HostFacts, on every
// recorded host (replayed) and on this machine (both probes run live).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../src/io/host/index.js';
import { collectVmFacts, type VmHostFacts } from '../../src/io/host/vm-facts.js';
import type { HostFacts } from '../../src/io/host/facts.js';
import { chooseAccelerator } from '../../src/vm/accelerator.js';
import { classifyVms } from '../../src/vm/list.js';
import { hostFixtures, recordedFacts } from '../helpers/facts.js';

const GUESTS = ['x86_64-linux', 'aarch64-linux'];

/** The part of a HostFacts the narrower probe gives. */
function narrow(f: VmHostFacts): VmHostFacts {
  return { os: f.os, wsl: f.wsl, macos: f.macos, virt: f.virt };
}

function decisions(f: VmHostFacts) {
  const configs = GUESTS.map((system) => ({ name: system, system, hostSystem: null, hasVm: true }));
  return {
    accelerators: GUESTS.map((g) => chooseAccelerator(f, g)),
    vms: classifyVms(f, configs),
  };
}

const recorded = readdirSync(`${hostFixtures}/facts`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));

describe('the VM facts decide like the full HostFacts', () => {
  it('has recorded hosts to replay', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of recorded) {
    it(`recorded ${name}: same accelerator and runs-here for both guest systems`, () => {
      const full = recordedFacts(name);
      expect(decisions(narrow(full))).toEqual(decisions(full));
    });
  }

  it('on this machine, probed live: the same facts and the same decision as doctor probes', async () => {
    const [vm, full] = await Promise.all([
      collectVmFacts(process.env),
      collectFacts({ env: process.env }),
    ]);
    expect(vm).toEqual(narrow(full));
    expect(decisions(vm)).toEqual(decisions(full as HostFacts));
  }, 60_000);

  it('asks Nix nothing: no probe of Nix, the disk or the distro is in its answer', async () => {
    const vm = await collectVmFacts(process.env);
    expect(Object.keys(vm).sort()).toEqual(['macos', 'os', 'virt', 'wsl']);
  });
});
