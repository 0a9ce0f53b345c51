# Nix daemon settings that read the same on NixOS and nix-darwin
# (`nix.settings` is freeform nix.conf on both).
{ config, lib, ... }:
let
  cfg = config.crossflake.nix;
in
{
  imports = [ ./options.nix ];

  # With `nix.enable = false` (Nix managed outside the system, e.g. by
  # Determinate's installer) upstream rejects nix.* settings: stay out.
  config = lib.mkIf (cfg.enable && config.nix.enable) {
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
