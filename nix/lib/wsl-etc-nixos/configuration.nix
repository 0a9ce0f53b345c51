# /etc/nixos/configuration.nix of a NixOS-WSL image that crossflake's
# lib.mkImages built (it sets NixOS-WSL's wsl.tarball.configPath to this
# directory). Without it the image would carry NixOS-WSL's stock
# configuration, and a plain `nixos-rebuild switch` would quietly rebuild the
# system without anything the flake configured. This file stops that with
# the command to use instead.
throw ''
  This NixOS-WSL system was built from a flake (crossflake's lib.mkImages);
  /etc/nixos/configuration.nix does not describe it. Rebuild from the flake:
    sudo nixos-rebuild boot --flake <flake>#<host>
  A colleague's own configuration: crossflake init wsl-nixos --from <team flake>.
''
