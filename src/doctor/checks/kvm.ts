import { known } from '../../io/host/facts.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

export const kvm: Check = {
  id: 'kvm',
  title: 'VM acceleration',
  required: false,
  run({ facts }) {
    if (facts.os.kernel === 'darwin') {
      return pass('Hypervisor.framework (NixOS VMs through virtualisation.host.pkgs)');
    }
    if (facts.os.kernel !== 'linux') return notApplicable('VMs run inside WSL2');
    const virt = known(facts.virt);
    if (!virt) return warn('could not check /dev/kvm', 'Check `ls -l /dev/kvm`');
    const inWsl = known(facts.wsl)?.version === 2;
    if (virt.kvmUsable) return pass(inWsl ? 'KVM nested inside WSL2' : '/dev/kvm is usable');
    if (virt.kvmPresent) {
      return warn(
        '/dev/kvm exists but you cannot open it',
        'Add yourself to the kvm group: `sudo usermod -aG kvm $USER`',
      );
    }
    return warn(
      'no /dev/kvm: NixOS VMs would be emulated and slow',
      inWsl
        ? 'Enable nested virtualization: "nestedVirtualization=true" under [wsl2] in %UserProfile%\\.wslconfig'
        : 'Enable virtualization (VT-x/AMD-V) in the firmware and load kvm_intel or kvm_amd',
    );
  },
};
