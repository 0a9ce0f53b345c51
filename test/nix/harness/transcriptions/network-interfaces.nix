# After nixos/modules/tasks/network-interfaces.nix (NixOS/nixpkgs; the
# `hostName` declaration, read as quoted in the NixOS option docs and the
# module): a DNS label or empty, `_` accepted by the pattern but warned
# against in its description ("Do not use underscores"), default
# `config.system.nixos.distroId`.
{ config, lib, ... }:
{
  options.networking.hostName = lib.mkOption {
    type = lib.types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
    default = config.system.nixos.distroId;
    description = "The machine's host name (a DNS label; no underscores).";
  };
}
