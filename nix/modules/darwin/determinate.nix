# Determinate Nix on macOS: its own daemon (determinate-nixd) manages the Nix
# installation, and nix-darwin aborts activation while
# /usr/local/bin/determinate-nixd exists unless it is told not to manage Nix.
# `crossflake onboard macos` detects Determinate and the darwin template sets
# this option; Nix settings then belong in /etc/nix/nix.custom.conf.
{ config, lib, ... }:
let
  inherit (lib) mkIf mkOption types;
  cfg = config.crossflake.darwin;
in
{
  # Like every module of its class: the personal options come with it (a
  # module found by path is deduplicated when base.nix brings it too).
  imports = [ ../shared/personal.nix ];

  options.crossflake.darwin.determinateNix = mkOption {
    type = types.bool;
    default = false;
    example = true;
    description = ''
      Nix was installed by the Determinate installer (Determinate Nix).
      Turns off nix-darwin's management of Nix (`nix.enable = false`), which
      also turns off the options that need it (nix.settings, nix.gc, the
      Linux builder).
    '';
  };

  config = mkIf (cfg.enable && cfg.determinateNix) {
    nix.enable = false;
  };
}
