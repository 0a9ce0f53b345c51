// The fixes that depend on how Nix was installed: upgrading it, changing a
// nix.conf setting, restarting its daemon. Doctor prints them and onboard
// turns the upgrade into steps, so both always agree. Pure.
import { known, type HostFacts, type NixInstall } from '../io/host/facts.js';

export type UpgradeAction =
  /** One command upgrades Nix in place. */
  | { kind: 'run'; command: string[]; then: string[] | null; note: string }
  /** The packaged Nix cannot get new enough: remove it, then the official installer. */
  | { kind: 'replace'; remove: string[]; note: string }
  /** Nix is part of a configuration: change it there (no command to run for the user). */
  | { kind: 'configure'; note: string };

export function installOf(facts: HostFacts): NixInstall {
  return known(facts.nix)?.install ?? { method: 'unknown', distro: null, evidence: [] };
}

/** The command that restarts the Nix daemon for this method and OS, or null (no daemon). */
export function restartDaemon(facts: HostFacts): string[] | null {
  const { method } = installOf(facts);
  if (method === 'official-single-user') return null;
  if (facts.os.kernel === 'darwin') {
    const label =
      method === 'determinate' ? 'systems.determinate.nix-daemon' : 'org.nixos.nix-daemon';
    return ['sudo', 'launchctl', 'kickstart', '-k', `system/${label}`];
  }
  return ['sudo', 'systemctl', 'restart', 'nix-daemon'];
}

/** What removes a distribution's Nix package, by the manager that owns it. */
function removeCommand(distro: NonNullable<NixInstall['distro']>): string[] {
  if (distro.manager === 'dpkg') return ['sudo', 'apt-get', 'remove', '--yes', distro.package];
  if (distro.manager === 'rpm') return ['sudo', 'dnf', 'remove', '--assumeyes', distro.package];
  return ['sudo', 'pacman', '--remove', '--noconfirm', distro.package];
}

export function upgradeAction(facts: HostFacts): UpgradeAction {
  const install = installOf(facts);
  switch (install.method) {
    case 'official-daemon':
      return {
        kind: 'run',
        command: ['sudo', '-i', 'nix', 'upgrade-nix'],
        then: restartDaemon(facts),
        note: 'the official multi-user install upgrades itself, then the daemon restarts',
      };
    case 'official-single-user':
      return {
        kind: 'run',
        command: ['nix', 'upgrade-nix'],
        then: null,
        note: 'the official single-user install upgrades itself',
      };
    case 'determinate':
      return {
        kind: 'run',
        command: ['sudo', 'determinate-nixd', 'upgrade'],
        then: null,
        note: 'Determinate Nix is upgraded by determinate-nixd (its nix has no upgrade-nix)',
      };
    case 'distro': {
      const distro = install.distro!;
      if (distro.manager === 'pacman') {
        return {
          kind: 'run',
          command: ['sudo', 'pacman', '-Syu', distro.package],
          then: restartDaemon(facts),
          note: `${distro.id} is rolling: its ${distro.package} package follows Nix releases`,
        };
      }
      return {
        kind: 'replace',
        remove: removeCommand(distro),
        note: `${distro.id}'s ${distro.package} package stays at the version of its release, and nix upgrade-nix cannot replace files the package owns: remove it, then install with the official installer`,
      };
    }
    case 'lix':
      return {
        kind: 'configure',
        note: 'Lix is upgraded the way https://lix.systems/install/ describes (with Lix itself, not the Nix installer)',
      };
    case 'nixos':
      return {
        kind: 'configure',
        note: 'NixOS: set `nix.package = pkgs.nixVersions.latest;` (or move to nixpkgs 26.05) in the system configuration, then `sudo nixos-rebuild switch`',
      };
    case 'nix-darwin':
      return {
        kind: 'configure',
        note: 'nix-darwin manages Nix: set `nix.package` in the nix-darwin configuration (or update its nixpkgs), then `sudo darwin-rebuild switch`',
      };
    case 'unknown':
      return {
        kind: 'configure',
        note: 'crossflake cannot tell how this Nix was installed: upgrade it the way it was installed, or remove it and use the official installer',
      };
  }
}

/** How to get a Nix daemon for a single-user Nix, by how it was installed. */
export function daemonFixText(facts: HostFacts): string {
  const { method, distro } = installOf(facts);
  if (method === 'distro' && distro?.manager === 'dpkg') {
    return "`sudo apt-get install nix-setup-systemd` (the distribution's package that runs nix-daemon)";
  }
  if (method === 'distro') {
    return `\`sudo systemctl enable --now nix-daemon.socket\` (if ${distro?.id ?? 'the distribution'} ships the daemon in a package of its own, install that first)`;
  }
  return 'Remove it (https://nix.dev/manual/nix/latest/installation/uninstall), then install with the official installer in multi-user mode (--daemon)';
}

function show(command: readonly string[]): string {
  return `\`${command.join(' ')}\``;
}

/** One line for doctor: how to upgrade this Nix. */
export function upgradeFixText(facts: HostFacts, installer: string | null): string {
  const action = upgradeAction(facts);
  if (action.kind === 'run') {
    return `${show(action.command)}${action.then ? `, then ${show(action.then)}` : ''} (${action.note})`;
  }
  if (action.kind === 'replace') {
    return `${show(action.remove)}, then ${installer ? `\`${installer}\`` : 'the official installer'} (${action.note})`;
  }
  return action.note;
}

/**
 * How to set a nix.conf line on this machine: in the system configuration for
 * NixOS and nix-darwin, in nix.custom.conf for Determinate (it owns nix.conf),
 * in /etc/nix/nix.conf (plus a daemon restart) elsewhere.
 */
export function settingFixText(facts: HostFacts, key: string, value: string): string {
  const { method } = installOf(facts);
  if (method === 'nixos' || method === 'nix-darwin') {
    const rebuild = method === 'nixos' ? 'nixos-rebuild' : 'darwin-rebuild';
    const list = value
      .split(/\s+/)
      .map((v) => JSON.stringify(v))
      .join(' ');
    return `Set \`nix.settings.${key} = [ ${list} ];\` in the system configuration, then \`sudo ${rebuild} switch\``;
  }
  const file =
    method === 'determinate'
      ? '/etc/nix/nix.custom.conf'
      : method === 'official-single-user'
        ? '~/.config/nix/nix.conf'
        : '/etc/nix/nix.conf';
  const restart = restartDaemon(facts);
  return `Add "${key} = ${value}" to ${file}${restart ? `, then ${show(restart)}` : ''}`;
}
