# After nixos/modules/virtualisation/qemu-vm.nix (NixOS/nixpkgs): the
# options crossflake's vm.nix sets inside `virtualisation.vmVariant`:
# `memorySize` and `cores` (ints.positive), `graphics` (bool),
# `forwardPorts` (list of { from = host|guest; proto; host.address;
# host.port; guest.address; guest.port }), `host.pkgs` (the package set the
# runner is built with, default this system's pkgs); and
# `system.build.vm`, the runner, built with `host.pkgs` (a fake here whose
# `system` says which host it runs on).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.virtualisation;
  endpoint = {
    address = mkOption {
      type = types.str;
      default = "";
      description = "Address.";
    };
    port = mkOption {
      type = types.port;
      description = "Port.";
    };
  };
in
{
  imports = [ ./disk-size-option.nix ];
  options.virtualisation = {
    memorySize = mkOption {
      type = types.ints.positive;
      default = 1024;
      description = "Memory in MiB.";
    };
    cores = mkOption {
      type = types.ints.positive;
      default = 1;
      description = "CPUs.";
    };
    graphics = mkOption {
      type = types.bool;
      default = true;
      description = "Graphical window.";
    };
    forwardPorts = mkOption {
      type = types.listOf (
        types.submodule {
          options = {
            from = mkOption {
              type = types.enum [
                "host"
                "guest"
              ];
              default = "host";
              description = "Direction.";
            };
            proto = mkOption {
              type = types.enum [
                "tcp"
                "udp"
              ];
              default = "tcp";
              description = "Protocol.";
            };
            host = endpoint;
            guest = endpoint;
          };
        }
      );
      default = [ ];
      description = "Port forwards.";
    };
    host.pkgs = mkOption {
      type = types.raw;
      default = pkgs;
      description = "Package set the runner is built with.";
    };
  };
  config.system.build.vm = cfg.host.pkgs.harnessFake "run-${config.networking.hostName}-vm";
}
