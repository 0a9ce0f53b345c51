# The team's NixOS defaults. Everything is lib.mkDefault so a colleague's own
# configuration wins without lib.mkForce.
{ params }:
{ lib, ... }:
{
  time.timeZone = lib.mkDefault params.timezone;
  i18n.defaultLocale = lib.mkDefault "en_US.UTF-8";
  nix.settings.experimental-features = [
    "nix-command"
    "flakes"
  ];
}
