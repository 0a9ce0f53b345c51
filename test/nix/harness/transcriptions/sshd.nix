# After nixos/modules/services/networking/ssh/sshd.nix (NixOS/nixpkgs; the
# `settings` submodule: a free-form sshd_config with declared keys, among
# them PermitRootLogin `nullOr (enum [yes without-password prohibit-password
# forced-commands-only no])` default "prohibit-password",
# PasswordAuthentication and KbdInteractiveAuthentication `nullOr bool`
# default true; read as stored in the search index, 2025 version).
# `users.users.<name>.openssh.authorizedKeys.keys` (declared by the same
# file) is in users-groups.nix.
{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.services.openssh = {
    enable = mkOption {
      type = types.bool;
      default = false;
      description = "Whether to run sshd.";
    };
    settings = mkOption {
      type = types.submodule {
        freeformType = types.attrsOf (
          types.nullOr (
            types.oneOf [
              types.bool
              types.int
              types.str
              (types.listOf types.str)
            ]
          )
        );
        options = {
          PermitRootLogin = mkOption {
            type = types.nullOr (
              types.enum [
                "yes"
                "without-password"
                "prohibit-password"
                "forced-commands-only"
                "no"
              ]
            );
            default = "prohibit-password";
            description = "Whether root may log in over ssh.";
          };
          PasswordAuthentication = mkOption {
            type = types.nullOr types.bool;
            default = true;
            description = "Password logins.";
          };
          KbdInteractiveAuthentication = mkOption {
            type = types.nullOr types.bool;
            default = true;
            description = "Keyboard-interactive logins.";
          };
        };
      };
      default = { };
      description = "sshd_config.";
    };
  };
}
