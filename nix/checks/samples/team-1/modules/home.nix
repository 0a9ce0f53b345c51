# The team's home-manager defaults, added to crossflake's homeModules.base.
{ pkgs, ... }:
{
  crossflake.home.cli.extraPackages = [ pkgs.gh ];
}
