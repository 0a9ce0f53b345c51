# Guest tweaks for the generic VMs: sizing of `nixos-rebuild build-vm`
# style VMs (options under `virtualisation.vmVariant`), an SSH port forward,
# auto-login and the QEMU guest agent.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib)
    mkDefault
    mkEnableOption
    mkIf
    mkOption
    optional
    types
    ;
  cfg = config.crossflake.vm;
in
{
  imports = [ ./base.nix ];

  options.crossflake.vm = {
    enable = mkEnableOption "crossflake's VM guest tweaks" // {
      default = true;
    };
    memorySize = mkOption {
      type = types.ints.positive;
      default = 4096;
      description = "Memory of the VM in MiB.";
    };
    cores = mkOption {
      type = types.ints.positive;
      default = 2;
      description = "Virtual CPUs of the VM.";
    };
    diskSize = mkOption {
      type = types.ints.positive;
      default = 16384;
      description = "Size of the VM's writable disk in MiB.";
    };
    graphics = mkOption {
      type = types.bool;
      default = config.services.xserver.enable;
      defaultText = lib.literalExpression "config.services.xserver.enable";
      description = "Open a graphical window; headless VMs use the serial console.";
    };
    sshPort = mkOption {
      type = types.nullOr types.port;
      default = null;
      example = 2222;
      description = ''
        Host port forwarded to the guest's SSH port 22 when the runner script
        is started by hand (null: none). `crossflake vm run` forwards a free
        port of its own and prints it, so two VMs never collide.
      '';
    };
    bootMarker = mkOption {
      type = types.str;
      default = "crossflake-vm: ready";
      description = ''
        Line printed on the console once the system is up (after the gettys
        started); `crossflake vm test` waits for it by default.
      '';
    };
    hostSystem = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "aarch64-darwin";
      description = ''
        System of the machine that runs the VM, when it differs from the
        guest's (an aarch64-linux guest on an Apple Silicon Mac:
        "aarch64-darwin"). QEMU and the run script are then built for it.
      '';
    };
    autologin = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Log in on the console automatically: root on headless VMs (so
        `crossflake vm test` can run commands on the serial console), the
        primary user on graphical ones.
      '';
    };
    passwordlessSudo = mkOption {
      type = types.bool;
      default = true;
      description = "Let `wheel` use sudo without a password (throwaway VMs have none).";
    };
  };

  config = mkIf cfg.enable {
    services.qemuGuest.enable = mkDefault true;
    services.getty.autologinUser = mkIf cfg.autologin (
      mkDefault (if cfg.graphics then config.crossflake.user.name else "root")
    );
    # The boot marker goes to the console (the serial one on headless VMs).
    systemd.services.crossflake-boot-marker = {
      description = "Tell crossflake vm that the system is up";
      wantedBy = [ "multi-user.target" ];
      after = [ "getty.target" ];
      serviceConfig = {
        Type = "oneshot";
        StandardOutput = "journal+console";
      };
      script = "echo ${lib.escapeShellArg cfg.bootMarker}";
    };
    security.sudo.wheelNeedsPassword = mkIf cfg.passwordlessSudo (mkDefault false);

    virtualisation.vmVariant.virtualisation = {
      memorySize = mkDefault cfg.memorySize;
      cores = mkDefault cfg.cores;
      diskSize = mkDefault cfg.diskSize;
      graphics = mkDefault cfg.graphics;
      forwardPorts = optional (cfg.sshPort != null) {
        from = "host";
        host.port = cfg.sshPort;
        guest.port = 22;
      };
      host.pkgs = mkIf (cfg.hostSystem != null) (
        mkDefault (import pkgs.path { system = cfg.hostSystem; })
      );
    };
  };
}
