// The deployment-mode decision tree: dev shell or NixOS VM, and which VM.
// Pure: needs + host facts in, a recommendation with its reasons out.
import type { HostFacts } from '../io/host/facts.js';
import { known } from '../io/host/facts.js';
import { NEEDS } from './needs.js';
import { matchRow, type PlatformRow } from '../platforms/index.js';

export { NEEDS };

export type Need = keyof typeof NEEDS;
export const VM_NEEDS: readonly Need[] = ['system-test', 'os-build', 'gui', 'darwin-broken'];

export type Leaf =
  'fix-host' | 'dev-shell' | 'dev-shell-ci' | 'vm-native' | 'vm-emulated' | 'vm-slow';

export interface AdviseInput {
  needs: Need[];
  facts: HostFacts;
  /** Flake that provides the shells and generic VMs. */
  flake: string;
  shell: string;
  /** Guest system wanted for the VM; defaults to the row's native guest. */
  vmSystem?: string;
}

export interface Advice {
  mode: 'dev-shell' | 'vm' | 'fix-host';
  leaf: Leaf;
  row: string | null;
  reasons: string[];
  warnings: string[];
  /** Each command as an argument array; run in order. */
  commands: string[][];
}

export function isNeed(value: string): value is Need {
  return Object.hasOwn(NEEDS, value);
}

export function advise(input: AdviseInput): Advice {
  const { facts, needs } = input;
  const match = matchRow(facts);
  const row = match.row;
  if (!row) {
    return {
      mode: 'fix-host',
      leaf: 'fix-host',
      row: null,
      reasons: [`${match.key}: ${match.reason ?? 'unsupported host'}`],
      warnings: [],
      commands: [['crossflake', 'doctor']],
    };
  }
  const vmNeeds = needs.filter((n) => VM_NEEDS.includes(n));
  if (needs.includes('ci')) return ciAdvice(input, row, vmNeeds);
  if (vmNeeds.length === 0) return shellAdvice(input, row);
  return vmAdvice(input, row, vmNeeds);
}

function setupCommands(facts: HostFacts, row: PlatformRow): string[][] {
  const nix = known(facts.nix);
  if (facts.os.kernel === 'windows')
    return [['crossflake', 'onboard', 'wsl', '--image', '<team release URL>']];
  if (!nix?.present) return [['sh', '-c', row.install.nix]];
  return [];
}

function shellAdvice(input: AdviseInput, row: PlatformRow): Advice {
  const why = input.needs.length
    ? input.needs.map(
        (n) => `you need ${NEEDS[n]}: a dev shell gives it with the host's own tools and files`,
      )
    : ['no need given: a dev shell is the default for day-to-day work'];
  return {
    mode: 'dev-shell',
    leaf: 'dev-shell',
    row: row.id,
    reasons: [
      ...why,
      `${row.name}: dev shells are ${row.devShell.support} here (${row.devShell.notes})`,
    ],
    warnings: [],
    commands: [
      ...setupCommands(input.facts, row),
      ['nix', 'develop', `${input.flake}#${input.shell}`],
    ],
  };
}

function ciAdvice(input: AdviseInput, row: PlatformRow, vmNeeds: Need[]): Advice {
  const reasons = ['you need CI: CI runs dev shells only, headless and cached'];
  if (vmNeeds.length) {
    reasons.push(
      `never VMs in CI: run ${vmNeeds.join(', ')} locally, or as NixOS tests on a KVM runner you opt into`,
    );
  }
  return {
    mode: 'dev-shell',
    leaf: 'dev-shell-ci',
    row: row.id,
    reasons,
    warnings: [],
    commands: [
      ['crossflake', 'ci', 'generate', '--write'],
      ['nix', 'develop', `${input.flake}#${input.shell}`, '--command', '<your test command>'],
    ],
  };
}

/** Can this host run a guest of `system` with hardware acceleration? */
function accelerated(facts: HostFacts): boolean {
  if (facts.os.kernel === 'darwin') return true;
  if (facts.os.kernel === 'windows') return known(facts.windows)?.virtualization !== false;
  return known(facts.virt)?.kvmUsable === true;
}

function vmAdvice(input: AdviseInput, row: PlatformRow, vmNeeds: Need[]): Advice {
  const { facts } = input;
  const guest = input.vmSystem ?? row.vm.nativeGuest;
  const arch = guest.startsWith('aarch64') ? 'aarch64' : 'x86_64';
  const variant = vmNeeds.includes('gui') ? 'gui' : 'headless';
  const config = `generic-vm-${variant}-${arch}`;
  const reasons = vmNeeds.map(
    (n) => `you need ${NEEDS[n]}: that takes a whole NixOS system, so a VM`,
  );
  const warnings: string[] = [];
  let leaf: Leaf;
  if (guest !== row.vm.nativeGuest) {
    leaf = 'vm-emulated';
    reasons.push(
      `${guest} is not this host's native guest (${row.vm.nativeGuest}): the VM is emulated`,
    );
    warnings.push(
      'Emulated VMs run 10-50x slower than native ones; prefer a native host for daily use.',
    );
  } else if (accelerated(facts)) {
    leaf = 'vm-native';
    reasons.push(`${row.name}: ${row.vm.accelerator} accelerates ${guest} guests`);
  } else {
    leaf = 'vm-slow';
    reasons.push('no usable hardware acceleration (/dev/kvm) on this host');
    warnings.push(
      'Without KVM, QEMU emulates the CPU: expect a slow boot and slow builds. Run `crossflake doctor` for the fix.',
    );
  }
  const commands = [...setupCommands(facts, row)];
  if (facts.os.kernel === 'darwin') {
    reasons.push('building a Linux VM on a Mac needs a Linux builder');
    commands.push([
      'sudo',
      'darwin-rebuild',
      'switch',
      '--flake',
      '.#<host>  (with nix.linux-builder.enable = true)',
    ]);
  }
  // crossflake vm builds the runner, picks the accelerator and a free SSH
  // port: smoke-test first, then boot it on the terminal.
  const prefix = facts.os.kernel === 'windows' ? ['wsl', '--'] : [];
  const vm = (sub: string) => [...prefix, 'crossflake', 'vm', sub, config, '--flake', input.flake];
  commands.push(vm('test'), vm('run'));
  return { mode: 'vm', leaf, row: row.id, reasons, warnings, commands };
}
