# After nixos/modules/profiles/installation-device.nix (NixOS/nixpkgs @
# 01363563, the `config` block): the `nixos` user (normal, in wheel,
# networkmanager and video, empty initial password), root's empty initial
# password, passwordless sudo at mkImageMediaOverride, getty auto-login as
# `nixos` at normal priority, sshd on with
# `services.openssh.settings.PermitRootLogin = mkDefault "yes"` (the value
# a second mkDefault of another value conflicts with: defect 1),
# `nix.settings.trusted-users = [ "nixos" ]`, variant_id "installer".
{ lib, ... }:
{
  system.nixos.variant_id = lib.mkDefault "installer";
  users.users.nixos = {
    isNormalUser = true;
    extraGroups = [
      "wheel"
      "networkmanager"
      "video"
    ];
    initialHashedPassword = "";
  };
  users.users.root.initialHashedPassword = "";
  security.sudo.wheelNeedsPassword = lib.mkImageMediaOverride false;
  services.getty.autologinUser = "nixos";
  services.openssh = {
    enable = lib.mkDefault true;
    settings.PermitRootLogin = lib.mkDefault "yes";
  };
  nix.settings.trusted-users = [ "nixos" ];
}
