# Which generic VMs each system's checks evaluate: those whose runner (QEMU
# and its start script) is built for that system, so `nix flake check` on a
# machine of that system evaluates what `nix run .#nixosConfigurations.<vm>
# .config.system.build.vm` would build there. builtins only (check names stay
# listable without nixpkgs), so the hosts are written down here: flake.nix
# gives the aarch64 VMs hostSystem = "aarch64-darwin" and the x86_64 ones
# none (the guest's own system). checks.nix asserts each one against the
# runner's real package set, so a change in flake.nix fails the check.
#
# An aarch64 Linux host runs the aarch64 VMs with the runner retargeted, as
# flake.nix documents (crossflake.vm.hostSystem = null). No generic VM is
# meant for an Intel Mac, so x86_64-darwin has none.
{
  x86_64-linux = {
    vm-headless.config = "generic-vm-headless-x86_64";
    vm-gui.config = "generic-vm-gui-x86_64";
  };
  aarch64-darwin = {
    vm-headless.config = "generic-vm-headless-aarch64";
    vm-gui.config = "generic-vm-gui-aarch64";
  };
  aarch64-linux = {
    vm-headless = {
      config = "generic-vm-headless-aarch64";
      hostSystem = null;
    };
    vm-gui = {
      config = "generic-vm-gui-aarch64";
      hostSystem = null;
    };
  };
}
