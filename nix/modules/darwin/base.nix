# crossflake's nix-darwin base: Nix settings and GC, the primary user,
# the host platform from an option (never hard-coded), the host name (from
# crossflake.host.name, when set), Touch ID for sudo and the common toolset.
{ config, lib, ... }:
let
  inherit (lib)
    mkDefault
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    types
    ;
  cfg = config.crossflake;
in
{
  imports = [ ../shared/nix-settings.nix ./determinate.nix ];

  options.crossflake.darwin = {
    enable = mkEnableOption "crossflake's macOS defaults" // {
      default = true;
    };
    hostPlatform = mkOption {
      type = types.enum [
        "aarch64-darwin"
        "x86_64-darwin"
      ];
      example = "aarch64-darwin";
      description = ''
        The Mac's system: "aarch64-darwin" (Apple Silicon) or "x86_64-darwin"
        (Intel). There is no default on purpose; templates fill it in from the
        detected host.
      '';
    };
    touchIdSudo = mkOption {
      type = types.bool;
      default = false;
      description = "Allow Touch ID (and an Apple Watch) to authorise sudo.";
    };
    linuxBuilder = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Run nixpkgs' Linux builder VM so this Mac can build aarch64-linux
        (needed for the generic VMs and Linux images).
      '';
    };
  };

  config = mkIf cfg.darwin.enable (mkMerge [
    {
      nixpkgs.hostPlatform = mkDefault cfg.darwin.hostPlatform;
      system.stateVersion = mkDefault 6;
      security.pam.services.sudo_local.touchIdAuth = mkDefault cfg.darwin.touchIdSudo;
    }

    (mkIf (cfg.host.name != null) { networking.hostName = mkDefault cfg.host.name; })

    # The Linux builder and GC need nix-darwin to manage Nix (`nix.enable`).
    (mkIf config.nix.enable { nix.linux-builder.enable = mkDefault cfg.darwin.linuxBuilder; })

    (mkIf cfg.user.enable {
      system.primaryUser = mkDefault cfg.user.name;
      users.users.${cfg.user.name} = {
        home = mkDefault "/Users/${cfg.user.name}";
        # nix-darwin's description is a non-empty string or null.
        description = mkIf (cfg.user.description != "") (mkDefault cfg.user.description);
      };
      # crossflake.user.authorizedKeys is not applied here: nix-darwin has no
      # per-user authorized_keys option; macOS users manage ~/.ssh themselves.
    })

    (mkIf (cfg.nix.enable && cfg.nix.gc.enable && config.nix.enable) {
      nix.gc = {
        automatic = mkDefault true;
        # launchd calendar interval: Sundays at 03:15.
        interval = mkDefault [
          {
            Weekday = 0;
            Hour = 3;
            Minute = 15;
          }
        ];
        options = mkDefault "--delete-older-than ${cfg.nix.gc.olderThan}";
      };
    })

    (mkIf cfg.cli.enable {
      environment.systemPackages = cfg.cli.packages ++ cfg.cli.extraPackages;
    })
  ]);
}
