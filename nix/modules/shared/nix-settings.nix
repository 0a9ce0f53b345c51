# Nix daemon settings that read the same on NixOS and nix-darwin
# (`nix.settings` is freeform nix.conf on both).
{ config, lib, ... }:
let
  cfg = config.crossflake.nix;
in
{
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    nix.settings = {
      experimental-features = [
        "nix-command"
        "flakes"
      ];
      # extra-* keeps the platform's default cache and key.
      extra-substituters = cfg.substituters;
      extra-trusted-public-keys = cfg.trustedPublicKeys;
      trusted-users = cfg.trustedUsers;
    };
  };
}
