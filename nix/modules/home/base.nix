# crossflake's home-manager base: shell, git (identity from options), direnv
# with nix-direnv, tmux, an editor and the common CLI. Importing it turns each
# part on; each has an `enable`, and values are `lib.mkDefault`s.
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
    mkMerge
    mkOption
    types
    ;
  cfg = config.crossflake.home;
  on = what: mkEnableOption what // { default = true; };
in
{
  # The shared personal values (crossflake.user.email and the others that
  # `crossflake extract` suggests) are options here too.
  imports = [ ../shared/personal.nix ];

  options.crossflake.home = {
    shell = {
      enable = on "bash with crossflake's aliases";
      aliases = mkOption {
        type = types.attrsOf types.str;
        default = {
          ll = "ls -l";
          la = "ls -la";
          ".." = "cd ..";
        };
        description = "Shell aliases for every shell home-manager manages.";
      };
    };

    git = {
      enable = on "git";
      userName = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Name for commits (`user.name`); set it in the personal configuration.";
      };
      userEmail = mkOption {
        type = types.nullOr types.str;
        default = config.crossflake.user.email;
        defaultText = lib.literalExpression "config.crossflake.user.email";
        description = "E-mail for commits (`user.email`); by default `crossflake.user.email`.";
      };
      defaultBranch = mkOption {
        type = types.str;
        default = "main";
        description = "`init.defaultBranch`.";
      };
    };

    direnv.enable = on "direnv with nix-direnv (cached `use flake`)";
    tmux.enable = on "tmux";

    editor = {
      enable = on "Neovim as the default editor";
    };

    cli = {
      enable = on "the common command-line toolset";
      packages = mkOption {
        type = types.listOf types.package;
        default = with pkgs; [
          bat
          curl
          fd
          fzf
          jq
          ripgrep
          tree
        ];
        defaultText = lib.literalExpression "with pkgs; [ bat curl fd fzf jq ripgrep tree ]";
        description = "Packages installed into the user's profile.";
      };
      extraPackages = mkOption {
        type = types.listOf types.package;
        default = [ ];
        description = "Packages added without replacing the default list.";
      };
    };
  };

  config = mkMerge [
    { programs.home-manager.enable = mkDefault true; }

    (mkIf cfg.shell.enable {
      programs.bash.enable = mkDefault true;
      home.shellAliases = lib.mapAttrs (_: mkDefault) cfg.shell.aliases;
    })

    (mkIf cfg.git.enable {
      programs.git = {
        enable = mkDefault true;
        settings = mkMerge [
          { init.defaultBranch = mkDefault cfg.git.defaultBranch; }
          (mkIf (cfg.git.userName != null) { user.name = mkDefault cfg.git.userName; })
          (mkIf (cfg.git.userEmail != null) { user.email = mkDefault cfg.git.userEmail; })
        ];
      };
    })

    (mkIf cfg.direnv.enable {
      programs.direnv = {
        enable = mkDefault true;
        nix-direnv.enable = mkDefault true;
      };
    })

    (mkIf cfg.tmux.enable { programs.tmux.enable = mkDefault true; })

    (mkIf cfg.editor.enable {
      programs.neovim = {
        enable = mkDefault true;
        defaultEditor = mkDefault true;
      };
    })

    (mkIf cfg.cli.enable { home.packages = cfg.cli.packages ++ cfg.cli.extraPackages; })
  ];
}
