# crossflake's platform-agnostic NixOS base: Nix settings, garbage
# collection, the host name (from crossflake.host.name, when set), locale and
# time zone, the primary user, SSH and the common toolset. Importing the
# module turns each part on; each has an `enable` to turn it off, and every
# value it sets is a `lib.mkDefault`.
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
  imports = [ ../shared/nix-settings.nix ];

  options.crossflake = {
    user.extraGroups = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [
        "networkmanager"
        "docker"
      ];
      description = "Groups of the primary user besides `wheel`.";
    };

    locale = {
      enable = mkEnableOption "crossflake's time zone and locale defaults" // {
        default = true;
      };
      timeZone = mkOption {
        type = types.str;
        default = "UTC";
        example = "Europe/Berlin";
        description = "Time zone (`time.timeZone`).";
      };
      defaultLocale = mkOption {
        type = types.str;
        default = "en_US.UTF-8";
        description = "Default locale (`i18n.defaultLocale`).";
      };
    };

    ssh = {
      enable = mkEnableOption "the OpenSSH server, keys only" // {
        default = true;
      };
      passwordAuthentication = mkOption {
        type = types.bool;
        default = false;
        description = "Allow password logins over SSH.";
      };
      permitRootLogin = mkOption {
        type = types.enum [
          "yes"
          "without-password"
          "prohibit-password"
          "forced-commands-only"
          "no"
        ];
        default = "no";
        description = "sshd's `PermitRootLogin`.";
      };
    };
  };

  config = mkMerge [
    (mkIf (cfg.nix.enable && cfg.nix.gc.enable && config.nix.enable) {
      nix.gc = {
        automatic = mkDefault true;
        dates = mkDefault "weekly";
        options = mkDefault "--delete-older-than ${cfg.nix.gc.olderThan}";
      };
    })

    (mkIf (cfg.host.name != null) { networking.hostName = mkDefault cfg.host.name; })

    (mkIf cfg.locale.enable {
      time.timeZone = mkDefault cfg.locale.timeZone;
      i18n.defaultLocale = mkDefault cfg.locale.defaultLocale;
    })

    (mkIf cfg.user.enable {
      users.users.${cfg.user.name} = {
        isNormalUser = true;
        description = mkDefault cfg.user.description;
        # Not mkDefault: list definitions merge, and a normal-priority value
        # from another module (NixOS-WSL sets one) must not push wheel out.
        extraGroups = [ "wheel" ] ++ cfg.user.extraGroups;
        openssh.authorizedKeys.keys = cfg.user.authorizedKeys;
      };
    })

    (mkIf cfg.ssh.enable {
      services.openssh = {
        enable = mkDefault true;
        settings = {
          PasswordAuthentication = mkDefault cfg.ssh.passwordAuthentication;
          KbdInteractiveAuthentication = mkDefault cfg.ssh.passwordAuthentication;
          # One step above mkDefault: nixpkgs' installation-device profile
          # (in the iso-installer image) sets mkDefault "yes", and two
          # mkDefaults of different values conflict. A normal-priority
          # setting still wins.
          PermitRootLogin = lib.mkOverride 999 cfg.ssh.permitRootLogin;
        };
      };
    })

    (mkIf cfg.cli.enable {
      environment.systemPackages = cfg.cli.packages ++ cfg.cli.extraPackages;
    })
  ];
}
