# The team's NixOS defaults, layered on crossflake's nixosModules.base. Every
# value is lib.mkDefault, so a colleague's own configuration wins without
# lib.mkForce.
{ params }:
{ lib, ... }:
{
  crossflake.locale.timeZone = lib.mkDefault params.timezone;
}
