# The team's home-manager defaults, added to crossflake's homeModules.base.
{ lib, ... }:
{
  programs.git.settings.init.defaultBranch = lib.mkDefault "main";
}
