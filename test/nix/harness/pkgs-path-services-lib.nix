# Written by the harness runner as lib/services/lib.nix of the directory
# `pkgs.path` points at. home-manager's modules/services-modular/default.nix
# imports nixpkgs' lib/services/lib.nix (modular services) through
# `pkgs.path` while declaring `home.services`; that file is not in
# ../shared/upstream. crossflake defines no `home.services`, so this stand-in
# only has the three names home-manager calls, with empty results.
{ lib }:
{
  configure = _: {
    serviceSubmodule = lib.types.submodule { freeformType = lib.types.attrsOf lib.types.anything; };
  };
  getAssertions = _: _: [ ];
  getWarnings = _: _: [ ];
}
